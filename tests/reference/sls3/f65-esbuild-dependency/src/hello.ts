import ms from "ms";

export const handler = async (event: { wait?: string }) => {
  const millis: number = ms(event.wait ?? "2 days");
  return { statusCode: 200, body: JSON.stringify({ millis }) };
};
