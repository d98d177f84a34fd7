import { readFileSync } from "node:fs";

export const handler = async () => ({ statusCode: 200, body: readFileSync("extra/b.txt", "utf8") });
