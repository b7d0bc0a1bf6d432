// Its own module: the library's small entry (src/lib.ts) exports ConfigError without the
// validation code behind it.
/** One problem found in a configuration, naming the field the way the JSON spells it. */
export interface ConfigProblem {
  field: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join("; "));
    this.name = "ConfigError";
  }
}
