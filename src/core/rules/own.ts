// Maps keyed by user input ("__proto__", "constructor" are legal attribute and tag names): set
// and test own properties only, so a key never reaches or replaces an object's prototype.
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);
