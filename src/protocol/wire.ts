// What a protocol renderer produces; http-server.ts writes it out.
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
