// The app page entry's first import (main.ts): a `?dial=` number goes to a phone window already
// open before anything else of the page is evaluated (app/launch-handoff.ts).
import { offerEarly, type LaunchOffer } from "./app/launch-handoff.js";

export const earlyLaunch: LaunchOffer | undefined = typeof location === "undefined" ? undefined : offerEarly(new URL(location.href));
