// The shop's catalogue and its orders: SKUs with a price and a limited stock, the order message
// shape, the one parsing rule both architectures share (and whose legacy promo codes are the
// "poison" orders), and a seeded order stream so both runs see exactly the same flash sale.

export interface Sku {
  sku: string;
  /** Unit price in cents. */
  price: number;
  stock: number;
}

/** What a client POSTs to /orders. */
export interface OrderRequest {
  orderId: string;
  sku: string;
  qty: number;
  userId: string;
  promo?: string;
}

/** What travels on the queue: the request plus what the order service adds. */
export interface OrderMessage extends OrderRequest {
  /** qty × unit price, in cents. */
  amount: number;
  /** Epoch ms the order service accepted it (lag is measured from here). */
  acceptedAt: number;
}

/** Legacy promo codes ("FLASH%10") written by an old mobile app: the consumer's v1 parser chokes on them. */
export const LEGACY_PROMO = /%/;

/** Promo parser: v1 accepts `[A-Z0-9-]+` only; v2 (the fix) also reads the legacy `NAME%PCT` form. */
export function parsePromo(promo: string | undefined, parser: 'v1' | 'v2'): string | undefined {
  if (promo === undefined || promo === '') return undefined;
  if (/^[A-Z0-9-]{1,32}$/.test(promo)) return promo;
  const legacy = /^([A-Z0-9]{1,24})%(\d{1,2})$/.exec(promo);
  if (legacy && parser === 'v2') return `${legacy[1]}-${legacy[2]}`;
  throw new Error(`unparseable promo code ${JSON.stringify(promo)} (parser ${parser})`);
}

/** mulberry32: a small seeded PRNG, so both runs are offered the same orders. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const skuName = (i: number) => `SKU-${String(i + 1).padStart(3, '0')}`;

/**
 * K SKUs whose total stock covers about `stockRatio` of the units the sale will ask for, so stock
 * runs out mid-sale (popular SKUs first: demand follows a Zipf-like curve).
 */
export function makeCatalog(skus: number, orders: number, stockRatio = 0.5): Sku[] {
  const weights = popularity(skus);
  const total = weights.reduce((a, b) => a + b, 0);
  const units = orders * MEAN_QTY * stockRatio;
  return weights.map((w, i) => ({
    sku: skuName(i),
    price: 500 + ((i * 3719) % 19_500),
    // Stock is spread evenly while demand is skewed: hot SKUs sell out early, cold ones never.
    stock: Math.max(1, Math.round((units / skus) * (0.5 + (0.5 * w) / (total / skus)))),
  }));
}

const MEAN_QTY = 1.7;

function popularity(skus: number): number[] {
  return Array.from({ length: skus }, (_, i) => 1 / Math.pow(i + 1, 0.8));
}

export interface OrderStream {
  next(): OrderRequest;
  readonly poisonIds: Set<string>;
}

/** The flash sale's orders, deterministic for a seed; a `poisonShare` of them carry a legacy promo code. */
export function orderStream(catalog: Sku[], poisonShare: number, seed = 42, prefix = 'o'): OrderStream {
  const rnd = prng(seed);
  const weights = popularity(catalog.length);
  const cum: number[] = [];
  weights.reduce((acc, w, i) => (cum[i] = acc + w), 0);
  const total = cum[cum.length - 1];
  const poisonIds = new Set<string>();
  let n = 0;
  return {
    poisonIds,
    next() {
      n++;
      const pick = rnd() * total;
      const i = Math.max(0, cum.findIndex((c) => c >= pick));
      const r = rnd();
      const qty = r < 0.55 ? 1 : r < 0.85 ? 2 : r < 0.97 ? 3 : 5;
      const orderId = `${prefix}-${String(n).padStart(7, '0')}`;
      const order: OrderRequest = { orderId, sku: catalog[i].sku, qty, userId: `u-${Math.floor(rnd() * 20_000)}` };
      const p = rnd();
      if (p < poisonShare) {
        order.promo = 'FLASH%10';
        poisonIds.add(orderId);
      } else if (p < 0.2) {
        order.promo = 'FLASH-SALE';
      }
      return order;
    },
  };
}
