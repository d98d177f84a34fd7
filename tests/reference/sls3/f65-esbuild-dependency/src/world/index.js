const ms = require("ms");

exports.main = async () => ({ statusCode: 200, body: ms(60000, { long: true }) });
