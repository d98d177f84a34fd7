const ms = require("ms");

module.exports.handler = async () => ({ statusCode: 200, body: ms(3600000, { long: true }) });
