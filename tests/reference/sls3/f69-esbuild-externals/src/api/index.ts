import ms from "ms";
// kept out of the bundle (custom.esbuild.external), installed by npm into node_modules
import isOdd = require("is-odd");

export const handler = async (event: { n?: number }) => ({
  statusCode: 200,
  body: JSON.stringify({ odd: isOdd(event.n ?? 3), later: ms("1h") }),
});
