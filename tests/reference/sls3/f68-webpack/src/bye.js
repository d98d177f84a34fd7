module.exports.handler = async (event) => ({ statusCode: 200, body: `bye ${event.name || "you"}` });
