import { greet } from "./lib/greet";

export const first = async () => ({ statusCode: 200, body: greet("first") });
export const second = async () => ({ statusCode: 200, body: greet("second") });
