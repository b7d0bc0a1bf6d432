import { consume } from "@lit/context";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { PlainId } from "../i18n/catalogue.js";
import { english } from "../i18n/languages.js";
import { wordsContext } from "./words-context.js";
import type { LocationConfig, NumberRule, NumberRules } from "../config/phone-config.js";
import { prepareNumber, tryRules, type PreparedNumber } from "../app/number-tester.js";
import { emit } from "./events.js";
import { buttonStyles } from "./shared-styles.js";

export interface NumberSettings {
  location?: LocationConfig;
  numberRules?: NumberRules;
}

type Direction = keyof NumberRules;
type LocationKey = Exclude<keyof LocationConfig, "extensionLength" | "dialFormat">;

const DIRECTIONS: Record<Direction, PlainId> = {
  dial: "numbers.dial",
  incoming: "numbers.incoming",
  outgoing: "numbers.outgoing",
};

const LOCATION_FIELDS: LocationKey[] = ["countryCode", "areaCode", "internationalPrefix", "nationalPrefix", "outsideLine"];

/**
 * A line's number settings (as the ESTOS driver has them): location, ordered search-and-replace
 * rules per direction, and a live tester that shows what each rule makes of a typed number.
 * Sends `numbers-change` with the whole new value on every edit.
 */
@customElement("sip-number-settings")
export class SipNumberSettings extends LitElement {
  static override styles = [
    buttonStyles,
    css`
      :host {
        display: grid;
        gap: 0.6rem;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: 0.4rem;
      }
      label {
        display: grid;
        gap: 0.15rem;
        font-size: 0.9em;
      }
      input,
      select {
        font: inherit;
        padding: 0.3em 0.45em;
        border-radius: 6px;
        border: 1px solid var(--sip-border, #c9d1d9);
        min-width: 0;
      }
      .rule {
        display: grid;
        grid-template-columns: 1fr 1fr auto auto;
        gap: 0.3rem;
        align-items: center;
      }
      .rule button {
        padding: 0.3em 0.6em;
      }
      .help {
        font-size: 0.85em;
        color: var(--sip-muted, #57606a);
        margin: 0;
      }
      ol {
        margin: 0;
        padding-left: 1.4rem;
      }
      .hit {
        font-weight: 600;
      }
      .bad {
        color: #cf222e;
      }
      output {
        font-weight: 600;
      }
      fieldset {
        border: 1px solid var(--sip-border, #c9d1d9);
        border-radius: 8px;
        display: grid;
        gap: 0.4rem;
      }
      legend {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) value: NumberSettings = {};
  @consume({ context: wordsContext, subscribe: true }) @state() private words = english;
  @state() private direction: Direction = "dial";
  @state() private sample = "";
  /** Canonical and PBX forms of the sample, once libphonenumber-js is loaded. */
  @state() private prepared: PreparedNumber = {};

  private get rules(): NumberRule[] {
    return this.value.numberRules?.[this.direction] ?? [];
  }

  private commit(next: NumberSettings): void {
    this.value = next;
    emit(this, "numbers-change", next);
    void this.prepareSample();
  }

  private setLocation(key: keyof LocationConfig, raw: string): void {
    const location: Record<string, unknown> = { ...(this.value.location ?? { countryCode: "" }) };
    if (key === "extensionLength") location[key] = raw.trim() === "" ? undefined : Number(raw);
    else location[key] = raw.trim() === "" && key !== "countryCode" ? undefined : raw.trim();
    for (const k of Object.keys(location)) if (location[k] === undefined) delete location[k];
    // No country code: no location at all (numbers go as typed, through the rules only).
    const next = location.countryCode ? (location as unknown as LocationConfig) : undefined;
    this.commit({ ...this.value, location: next });
  }

  private setRules(rules: NumberRule[]): void {
    const numberRules: NumberRules = { ...(this.value.numberRules ?? {}), [this.direction]: rules };
    if (!rules.length) delete numberRules[this.direction];
    this.commit({ ...this.value, numberRules: Object.keys(numberRules).length ? numberRules : undefined });
  }

  private editRule(i: number, patch: Partial<NumberRule>): void {
    this.setRules(this.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  }

  private moveUp(i: number): void {
    const rules = [...this.rules];
    [rules[i - 1], rules[i]] = [rules[i]!, rules[i - 1]!];
    this.setRules(rules);
  }

  /** What the location makes of the sample before the dial rules see it. */
  private async prepareSample(): Promise<void> {
    const sample = this.sample;
    const location = this.value.location;
    if (!sample || !location || this.direction !== "dial") {
      this.prepared = {};
      return;
    }
    const prepared = await prepareNumber(sample, location);
    if (sample === this.sample) this.prepared = prepared;
  }

  override render() {
    const loc = this.value.location;
    const rules = this.rules;
    const { input, outcomes, used: first } = tryRules(rules, this.sample, this.prepared);
    const w = this.words;
    return html`
      <fieldset>
        <legend>${w.t("numbers.location")}</legend>
        <div class="grid">
          ${LOCATION_FIELDS.map(
            (key) =>
              html`<label
                >${w.t(`numbers.${key}`)}
                <input
                  inputmode="numeric"
                  .value=${(loc?.[key] as string | undefined) ?? ""}
                  title=${w.t(`numbers.${key}.help`)}
                  aria-describedby="loc-help"
                  @change=${(e: Event) => this.setLocation(key, (e.target as HTMLInputElement).value)}
                />
              </label>`,
          )}
          <label
            >${w.t("numbers.extensionLength")}
            <input
              type="number"
              min="1"
              max="8"
              .value=${loc?.extensionLength ? String(loc.extensionLength) : ""}
              @change=${(e: Event) => this.setLocation("extensionLength", (e.target as HTMLInputElement).value)}
            />
          </label>
          <label
            >${w.t("numbers.sendAs")}
            <select
              .value=${loc?.dialFormat ?? "e164"}
              @change=${(e: Event) => this.setLocation("dialFormat", (e.target as HTMLSelectElement).value)}
            >
              <option value="e164">+43… (E.164)</option>
              <option value="prefixed">${w.t("numbers.prefixed")}</option>
            </select>
          </label>
        </div>
        <p class="help" id="loc-help">${w.t("numbers.locationHelp")}</p>
      </fieldset>
      <fieldset>
        <legend>${w.t("numbers.rules")}</legend>
        <label
          >${w.t("numbers.for")}
          <select
            .value=${this.direction}
            @change=${(e: Event) => {
              this.direction = (e.target as HTMLSelectElement).value as Direction;
              void this.prepareSample();
            }}
          >
            ${(Object.keys(DIRECTIONS) as Direction[]).map((d) => html`<option value=${d} ?selected=${d === this.direction}>${w.t(DIRECTIONS[d])}</option>`)}
          </select>
        </label>
        <p class="help">${w.t("numbers.rulesHelp")}</p>
        ${rules.map(
          (r, i) =>
            html`<div class="rule" role="group" aria-label=${w.t("numbers.rule", { n: i + 1 })}>
              <input
                aria-label=${w.t("numbers.search", { n: i + 1 })}
                placeholder=${w.t("numbers.searchPlaceholder")}
                .value=${r.search}
                @change=${(e: Event) => this.editRule(i, { search: (e.target as HTMLInputElement).value })}
              />
              <input
                aria-label=${w.t("numbers.replace", { n: i + 1 })}
                placeholder=${w.t("numbers.replacePlaceholder")}
                .value=${r.replace}
                @change=${(e: Event) => this.editRule(i, { replace: (e.target as HTMLInputElement).value })}
              />
              <button type="button" aria-label=${w.t("numbers.moveUp", { n: i + 1 })} ?disabled=${i === 0} @click=${() => this.moveUp(i)}>
                ↑
              </button>
              <button
                type="button"
                aria-label=${w.t("numbers.remove", { n: i + 1 })}
                @click=${() => this.setRules(rules.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            </div>`,
        )}
        <button type="button" @click=${() => this.setRules([...rules, { search: "", replace: "" }])}>${w.t("numbers.addRule")}</button>
      </fieldset>
      <fieldset>
        <legend>${w.t("numbers.try")}</legend>
        <input
          aria-label=${w.t("numbers.toTry")}
          placeholder=${w.t("numbers.toTryPlaceholder")}
          .value=${this.sample}
          @input=${(e: Event) => {
            this.sample = (e.target as HTMLInputElement).value;
            void this.prepareSample();
          }}
        />
        ${
          this.sample
            ? html`${this.prepared.error ? html`<p class="bad">${this.prepared.error}</p>` : nothing}
                ${this.prepared.canonical ? html`<p class="help">${w.t("numbers.canonical", { canonical: this.prepared.canonical, pbx: this.prepared.pbx ?? "" })}</p>` : nothing}
                <ol aria-label=${w.t("numbers.results")}>
                  ${outcomes.map(
                    (o) =>
                      html`<li class=${o.error ? "bad" : o === first ? "hit" : ""}>
                        ${
                          o.error
                            ? w.t("numbers.invalid", { error: o.error })
                            : o.matched
                              ? w.t(o === first ? "numbers.matchUsed" : "numbers.matchNotUsed", { result: o.result ?? "" })
                              : w.t("numbers.noMatch")
                        }
                      </li>`,
                  )}
                </ol>
                <p>
                  ${w.t("numbers.result")}
                  <output>${first ? first.result || w.t("numbers.withheld") : input}</output
                  >${first ? nothing : html` <span class="help">${w.t("numbers.unchanged")}</span>`}
                </p>`
            : nothing
        }
      </fieldset>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sip-number-settings": SipNumberSettings;
  }
}
