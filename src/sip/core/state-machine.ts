/**
 * An explicit state machine: a table of legal moves, one `transition()` that refuses the others.
 * An illegal move is a bug in this layer, so it throws rather than being silently ignored.
 */
export class StateMachine<S extends string> {
  private current: S;

  constructor(
    private readonly name: string,
    initial: S,
    private readonly moves: Readonly<Record<S, readonly S[]>>,
    private readonly onChange: (to: S, from: S) => void,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  can(to: S): boolean {
    return this.moves[this.current].includes(to);
  }

  transition(to: S): void {
    const from = this.current;
    if (!this.can(to)) throw new Error(`${this.name}: illegal transition ${from} -> ${to}`);
    this.current = to;
    this.onChange(to, from);
  }
}
