import ms from "ms";
import { shout } from "./util";

export const hello = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: shout(`in ${ms(90000)}`),
});
