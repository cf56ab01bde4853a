/// `/api/openapi.json`: the API described by hand in OpenAPI 3.1.
enum OpenAPIDocument {
    static let json = """
        {
          "openapi": "3.1.0",
          "info": {"title": "Converge console API", "version": "1",
            "description": "Every route needs a session cookie (POST /login). State-changing requests carry the session's CSRF token in X-CSRF-Token (GET /api/me returns it). Errors are {\\"error\\": message}."},
          "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "converge_session"}},
            "schemas": {
              "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
              "AssetSummary": {"type": "object", "properties": {
                "id": {"type": "string"}, "name": {"type": "string"}, "role": {"type": "string"},
                "roleLabel": {"type": "string"}, "level": {"type": ["string", "null"]},
                "vendor": {"type": ["string", "null"]}, "model": {"type": ["string", "null"]},
                "firmware": {"type": ["string", "null"]}, "hostname": {"type": ["string", "null"]},
                "addresses": {"type": "array", "items": {"type": "string"}},
                "protocols": {"type": "array", "items": {"type": "string"}},
                "firstSeen": {"type": "string", "format": "date-time"},
                "lastSeen": {"type": "string", "format": "date-time"}}},
              "Communication": {"type": "object", "properties": {
                "client": {"type": "string"}, "server": {"type": "string"}, "proto": {"type": "string"},
                "messages": {"type": "integer"}, "packets": {"type": "integer"}, "bytes": {"type": "integer"},
                "operations": {"type": "object", "additionalProperties": {"type": "integer"}},
                "firstSeen": {"type": "integer", "description": "nanoseconds since the epoch"},
                "lastSeen": {"type": "integer", "description": "nanoseconds since the epoch"}}},
              "Change": {"type": "object", "properties": {
                "seq": {"type": "integer"}, "time": {"type": "string", "format": "date-time"},
                "asset": {"type": "string"}, "kind": {"type": "string"}, "field": {"type": ["string", "null"]},
                "previous": {"type": ["string", "null"]}, "current": {"type": ["string", "null"]},
                "source": {"type": ["string", "null"]}, "text": {"type": "string"}}},
              "Counted": {"type": "object", "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}
            },
            "responses": {
              "Unauthorized": {"description": "no session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Forbidden": {"description": "role too low, or CSRF token missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotFound": {"description": "unknown id", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "BadRequest": {"description": "a parameter that names nothing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
          },
          "security": [{"session": []}],
          "paths": {
            "/api/overview": {"get": {"summary": "Assets by level, role and vendor; protocols; activity by day; captures",
              "responses": {"200": {"description": "the overview", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "assets": {"type": "integer"}, "communications": {"type": "integer"},
                "byLevel": {"type": "array", "items": {"$ref": "#/components/schemas/Counted"}},
                "byRole": {"type": "array", "items": {"$ref": "#/components/schemas/Counted"}},
                "byVendor": {"type": "array", "items": {"$ref": "#/components/schemas/Counted"}},
                "protocols": {"type": "array", "items": {"$ref": "#/components/schemas/Counted"}},
                "activity": {"type": "array", "items": {"type": "object"}},
                "captures": {"type": "array", "items": {"type": "object"}}}}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/assets": {"get": {"summary": "One page of the asset list, sorted and filtered on the server",
              "parameters": [
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                {"name": "sort", "in": "query", "description": "a key, '-' in front for descending",
                  "schema": {"type": "string", "enum": ["id", "role", "level", "vendor", "last_seen", "-id", "-role", "-level", "-vendor", "-last_seen"]}},
                {"name": "level", "in": "query", "schema": {"type": "string", "enum": ["0", "1", "2", "3", "3.5", "4", "5", "unknown"]}},
                {"name": "role", "in": "query", "schema": {"type": "string"}},
                {"name": "vendor", "in": "query", "schema": {"type": "string"}},
                {"name": "protocol", "in": "query", "schema": {"type": "string"}},
                {"name": "q", "in": "query", "description": "text searched in ids, addresses and identity", "schema": {"type": "string", "maxLength": 200}}],
              "responses": {"200": {"description": "a page", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"}, "perPage": {"type": "integer"},
                "assets": {"type": "array", "items": {"$ref": "#/components/schemas/AssetSummary"}}}}}}},
                "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/assets/{id}": {"get": {"summary": "One asset with its conversations and change history",
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
              "responses": {"200": {"description": "the asset", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "asset": {"type": "object"}, "summary": {"$ref": "#/components/schemas/AssetSummary"},
                "communications": {"type": "array", "items": {"$ref": "#/components/schemas/Communication"}},
                "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}}}}}},
                "404": {"$ref": "#/components/responses/NotFound"}, "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/communications": {"get": {"summary": "Conversations by asset, protocol, operation and time range",
              "parameters": [
                {"name": "asset", "in": "query", "schema": {"type": "string"}},
                {"name": "protocol", "in": "query", "schema": {"type": "string"}},
                {"name": "operation", "in": "query", "schema": {"type": "string"}},
                {"name": "from", "in": "query", "description": "YYYY-MM-DD, ISO 8601 time or nanoseconds", "schema": {"type": "string"}},
                {"name": "to", "in": "query", "schema": {"type": "string"}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}],
              "responses": {"200": {"description": "matching conversations, newest first", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"}, "perPage": {"type": "integer"}, "truncated": {"type": "boolean"},
                "communications": {"type": "array", "items": {"$ref": "#/components/schemas/Communication"}}}}}}},
                "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/changes": {"get": {"summary": "The change log, newest first (or after a sequence number, oldest first)",
              "parameters": [
                {"name": "asset", "in": "query", "schema": {"type": "string"}},
                {"name": "after", "in": "query", "schema": {"type": "integer"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
              "responses": {"200": {"description": "changes", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}}}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/events": {"get": {"summary": "Server-sent events: 'asset' for a new asset, 'change' for any other change; data is a Change",
              "responses": {"200": {"description": "an event stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/zones": {"get": {"summary": "Zones, conduits, the zone × zone matrix of observed traffic and the assets outside every zone, from the stored policy (converge policy check) or converge serve --policy; policy is absent when none is known",
              "responses": {"200": {"description": "the zone view", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "policy": {"type": "object", "properties": {"name": {"type": ["string", "null"]}, "source": {"type": "string"},
                  "origin": {"type": "string", "enum": ["store", "file"]}, "sha256": {"type": ["string", "null"]},
                  "storedAt": {"type": ["string", "null"], "format": "date-time"}}},
                "zones": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"},
                  "level": {"type": ["string", "null"]}, "securityLevel": {"type": ["integer", "null"]}, "members": {"type": "integer"}}}},
                "conduits": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"},
                  "from": {"type": "string"}, "to": {"type": "string"}, "protocols": {"type": "array", "items": {"type": "string"}},
                  "used": {"type": "integer", "description": "conversations it allowed"}}}},
                "matrix": {"type": "array", "items": {"type": "object", "properties": {"from": {"type": "string", "description": "the client's zone, (outside) for none"},
                  "to": {"type": "string"}, "communications": {"type": "integer"}, "messages": {"type": "integer"},
                  "violations": {"type": "integer", "description": "conversations with a violation"}, "protocols": {"type": "array", "items": {"type": "string"}}}}},
                "outside": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"},
                  "addresses": {"type": "array", "items": {"type": "string"}}, "role": {"type": "string"}}}},
                "outsideTotal": {"type": "integer"}, "diagnostics": {"type": "array", "items": {"type": "string"}}}}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/me": {"get": {"summary": "The logged-in user, role and CSRF token",
              "responses": {"200": {"description": "the session", "content": {"application/json": {"schema": {"type": "object", "properties": {
                "name": {"type": "string"}, "role": {"type": "string"}, "csrf": {"type": "string"}}}}}},
                "401": {"$ref": "#/components/responses/Unauthorized"}}}},
            "/api/users": {
              "get": {"summary": "Users (admin)", "responses": {"200": {"description": "users"},
                "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}},
              "post": {"summary": "Add a user (admin; X-CSRF-Token)",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "role", "password"], "properties": {
                  "name": {"type": "string"}, "role": {"type": "string", "enum": ["viewer", "analyst", "admin"]}, "password": {"type": "string", "minLength": 10}}}}}},
                "responses": {"201": {"description": "added"}, "400": {"$ref": "#/components/responses/BadRequest"},
                  "403": {"$ref": "#/components/responses/Forbidden"}, "409": {"description": "name taken"}}}},
            "/api/users/{name}": {"delete": {"summary": "Remove a user (admin; X-CSRF-Token)",
              "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
              "responses": {"204": {"description": "removed"}, "403": {"$ref": "#/components/responses/Forbidden"},
                "404": {"$ref": "#/components/responses/NotFound"}}}},
            "/api/audit": {"get": {"summary": "The audit log, newest first (admin)",
              "responses": {"200": {"description": "entries"}, "403": {"$ref": "#/components/responses/Forbidden"}}}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}
          }
        }
        """
}
