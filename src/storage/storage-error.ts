/** A storage failure with a sentence for the user (quota, private mode, disk). */
export class StorageError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = "StorageError";
  }
}

export function describeStorageFailure(e: unknown): string {
  if (e instanceof StorageError) return e.message;
  const name = (e as { name?: string } | null)?.name;
  if (name === "QuotaExceededError")
    return "The browser's storage for this site is full: free some space (clear call history) and save again";
  if (name === "InvalidStateError" || name === "UnknownError")
    return "The browser refused to open its storage (private window or disk problem)";
  return `Could not save (${name ?? String(e)})`;
}
