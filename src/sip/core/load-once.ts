/**
 * The value of `load()`, loaded on the first call and shared by every later one. A failed load
 * (the chunk could not be fetched) is tried again next time rather than remembered.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= load().catch((e: unknown) => {
      value = undefined;
      throw e;
    }));
}
