"""The request templates and status codes v3 gives the ``lambda`` (non-proxy) integration.

They end up verbatim in templates, so they are kept byte for byte as Serverless v3.40.0 emits
them (read from its compiled output): a different template would be a different method.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE",
    "DEFAULT_JSON_REQUEST_TEMPLATE",
    "DEFAULT_STATUS_CODES",
]

#: v3's DEFAULT_COMMON_TEMPLATE, which both request templates embed
_COMMON = (
    "\n"
    "  #define( $loop )\n"
    "    {\n"
    "    #foreach($key in $map.keySet())\n"
    "        #set( $k = $util.escapeJavaScript($key) )\n"
    '        #set( $v = $util.escapeJavaScript($map.get($key)).replaceAll("\\\\\'", "\'") )\n'
    '        "$k":\n'
    '          "$v"\n'
    "          #if( $foreach.hasNext ) , #end\n"
    "    #end\n"
    "    }\n"
    "  #end\n"
    "\n"
    "  {\n"
    '    "body": $body,\n'
    '    "method": "$context.httpMethod",\n'
    '    "principalId": "$context.authorizer.principalId",\n'
    '    "stage": "$context.stage",\n'
    "\n"
    '    "cognitoPoolClaims" : {\n'
    "       extraCognitoPoolClaims\n"
    '       "sub": "$context.authorizer.claims.sub"\n'
    "    },\n"
    "\n"
    "    #set( $map = $context.authorizer )\n"
    '    "enhancedAuthContext": $loop,\n'
    "\n"
    "    #set( $map = $input.params().header )\n"
    '    "headers": $loop,\n'
    "\n"
    "    #set( $map = $input.params().querystring )\n"
    '    "query": $loop,\n'
    "\n"
    "    #set( $map = $input.params().path )\n"
    '    "path": $loop,\n'
    "\n"
    "    #set( $map = $context.identity )\n"
    '    "identity": $loop,\n'
    "\n"
    "    #set( $map = $stageVariables )\n"
    '    "stageVariables": $loop,\n'
    "\n"
    '    "requestPath": "$context.resourcePath"\n'
    "  }\n"
)

DEFAULT_JSON_REQUEST_TEMPLATE = '\n    #set( $body = $input.json("$") )\n\n    ' + _COMMON + "\n  "

DEFAULT_FORM_URL_ENCODED_REQUEST_TEMPLATE = (
    "\n"
    "    #define( $body )\n"
    "      {\n"
    "      #foreach( $token in $input.path('$').split('&') )\n"
    "        #set( $keyVal = $token.split('=') )\n"
    "        #set( $keyValSize = $keyVal.size() )\n"
    "        #if( $keyValSize >= 1 )\n"
    "          #set( $key = $util.escapeJavaScript($util.urlDecode($keyVal[0])) )\n"
    "          #if( $keyValSize >= 2 )\n"
    '            #set($val = $util.escapeJavaScript($util.urlDecode($keyVal[1])).replaceAll("\\\\\'","\'"))\n'
    "          #else\n"
    "            #set( $val = '' )\n"
    "          #end\n"
    '          "$key": "$val"#if($foreach.hasNext),#end\n'
    "        #end\n"
    "      #end\n"
    "      }\n"
    "    #end\n"
    "\n"
    "    " + _COMMON + "\n  "
)

DEFAULT_STATUS_CODES: dict[str, dict[str, Any]] = {
    "200": {"pattern": ""},
    "400": {"pattern": "[\\s\\S]*\\[400\\][\\s\\S]*"},
    "401": {"pattern": "[\\s\\S]*\\[401\\][\\s\\S]*"},
    "403": {"pattern": "[\\s\\S]*\\[403\\][\\s\\S]*"},
    "404": {"pattern": "[\\s\\S]*\\[404\\][\\s\\S]*"},
    "422": {"pattern": "[\\s\\S]*\\[422\\][\\s\\S]*"},
    "500": {"pattern": "[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*"},
    "502": {"pattern": "[\\s\\S]*\\[502\\][\\s\\S]*"},
    "504": {"pattern": "([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)"},
}
