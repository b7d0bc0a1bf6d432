import { createContext } from "@lit/context";
import type { PhoneService } from "./phone-service.js";

export const phoneContext = createContext<PhoneService | undefined>(Symbol("sip-phone"));
