// "Many desks at once" (issue 17): a company's proxy restarts and 10 000 phones reconnect. This
// runs the phone's own reconnection code (src/sip/core/backoff.ts with the line's default
// timings, src/sip/api/line-options.ts), on a simulated clock, no browser and no network, and
// prints what the proxy sees: connection attempts and REGISTERs per second, and how long until
// every line is registered again. Run alone: node e2e/bench/reconnect-sim.mjs [phones] [downSeconds]
import { runnerImport } from "vite";

/** @typedef {{ next(): number, reset(): void }} BackoffLike */

/**
 * A seeded PRNG (mulberry32): the same run gives the same figures.
 * @param {number} seed
 */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Lines per phone: most desks have one line, some two, a few (reception, ACD agents) five.
 * @param {number} i
 */
const linesOf = (i) => (i % 10 === 0 ? 5 : i % 10 < 3 ? 2 : 1);

/**
 * @param {{ phones?: number, downMs?: number, seed?: number }} [options]
 */
export async function simulateReconnect({ phones = 10_000, downMs = 15_000, seed = 1 } = {}) {
  const { module: backoffModule } = await runnerImport("/src/sip/core/backoff.ts", { configFile: false, logLevel: "silent" });
  const { module: timingModule } = await runnerImport("/src/sip/api/line-options.ts", { configFile: false, logLevel: "silent" });
  const { Backoff } = /** @type {{ Backoff: new (o: object) => BackoffLike }} */ (backoffModule);
  const timing = /** @type {{ DEFAULT_LINE_TIMING: Record<string, number> }} */ (timingModule).DEFAULT_LINE_TIMING;
  const random = seeded(seed);
  let now = 0;
  /** Pending attempts: [time, phone index], kept as a binary heap on time. */
  /** @type {[number, number][]} */
  const heap = [];
  const push = (/** @type {[number, number]} */ item) => {
    heap.push(item);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = /** @type {[number, number]} */ (heap.pop());
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  // One socket per phone and server (websocket-flow.ts merges its lines' attempts): one backoff
  // per phone, as the line's, on the simulated clock.
  const backoffs = Array.from(
    { length: phones },
    () =>
      new Backoff({
        minMs: timing.backoffMinMs,
        maxMs: timing.backoffMaxMs,
        fastCapMs: timing.backoffFastCapMs,
        fastPhaseMs: timing.backoffFastPhaseMs,
        random,
        now: () => now,
      }),
  );
  /** @type {Map<number, number>} */
  const connectsPerSecond = new Map();
  /** @type {Map<number, number>} */
  const registersPerSecond = new Map();
  /** @type {number[]} */
  const backAt = [];
  // The proxy goes away at 0: every socket closes at once, each phone schedules its retry.
  for (let i = 0; i < phones; i++) push([backoffs[i].next(), i]);
  while (heap.length) {
    const [t, i] = pop();
    now = t;
    const second = Math.floor(t / 1000);
    connectsPerSecond.set(second, (connectsPerSecond.get(second) ?? 0) + 1);
    if (t < downMs) {
      push([t + backoffs[i].next(), i]);
      continue;
    }
    registersPerSecond.set(second, (registersPerSecond.get(second) ?? 0) + linesOf(i));
    backoffs[i].reset();
    backAt.push(t - downMs);
  }
  backAt.sort((a, b) => a - b);
  const peak = (/** @type {Map<number, number>} */ m) => Math.max(...m.values());
  const lines = Array.from({ length: phones }, (_, i) => linesOf(i)).reduce((a, b) => a + b, 0);
  return {
    phones,
    lines,
    downMs,
    peakConnectsPerSecond: peak(connectsPerSecond),
    peakRegistersPerSecond: peak(registersPerSecond),
    medianBackMs: backAt[Math.floor(backAt.length / 2)],
    allBackMs: backAt[backAt.length - 1],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await simulateReconnect({ phones: Number(process.argv[2] ?? 10_000), downMs: Number(process.argv[3] ?? 15) * 1000 });
  console.log(JSON.stringify(r));
}
