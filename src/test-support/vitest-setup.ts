// Runs before every unit test file (vite.config.ts `test.setupFiles`).
//
// vi.waitFor gives up after 1 s by default. Many component tests wait for a view that is
// imported on first use; on a loaded 2-core CI machine the first import of such a module (Vite's
// transform included) can take longer than that, and a test that waits for a condition that does
// come true failed there. Only the default changes: a wait that names its own timeout keeps it,
// and a condition that never comes true still fails, 5 s later instead of 1.
import { vi } from "vitest";

const waitFor = vi.waitFor.bind(vi);
const DEFAULT_TIMEOUT_MS = 5_000;

vi.waitFor = ((callback: Parameters<typeof waitFor>[0], options?: Parameters<typeof waitFor>[1]) =>
  waitFor(
    callback,
    typeof options === "number" ? options : { ...options, timeout: options?.timeout ?? DEFAULT_TIMEOUT_MS },
  )) as typeof vi.waitFor;
