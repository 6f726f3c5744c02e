/// JSON schemas of the API's bodies, for the OpenAPI document.
enum OpenAPISchemas {
    static func object(_ properties: [String: String], required: [String] = []) -> [String: Any] {
        var props: [String: Any] = [:]
        for (name, type) in properties {
            if type.hasPrefix("#") { props[name] = ["$ref": "#/components/schemas/" + type.dropFirst()] }
            // "number?[]": numbers where a cell may be empty (null), as a pivot's.
            else if type == "number?[]" { props[name] = ["type": "array", "items": ["type": ["number", "null"]]] }
            else if ["string[]", "number[]", "integer[]", "boolean[]"].contains(type) { props[name] = ["type": "array", "items": ["type": String(type.dropLast(2))]] }
            else if type.hasSuffix("[]") { props[name] = ["type": "array", "items": ["$ref": "#/components/schemas/" + type.dropLast(2)]] }
            else { props[name] = ["type": type] }
        }
        var schema: [String: Any] = ["type": "object", "properties": props]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    static func list(_ item: String) -> [String: Any] {
        object(["items": item + "[]", "total": "integer", "page": "integer", "per": "integer"], required: ["items", "total"])
    }

    static var all: [String: Any] {
        [
            "Error": object(["error": "#ErrorDetail"], required: ["error"]),
            "ErrorDetail": object(["code": "string", "message": "string", "field": "string", "problems": "Problem[]"], required: ["code", "message"]),
            "Problem": object(["line": "integer", "field": "string", "message": "string", "severity": "string"]),
            "WorkItem": object(["kind": "string", "title": "string", "detail": "string", "due": "string", "state": "string", "stateLabel": "string",
                                "link": "string", "urgent": "boolean"]),
            "WorkList": object(["role": "string", "asOf": "string", "items": "WorkItem[]"]),
            "Credentials": object(["username": "string", "password": "string"], required: ["username", "password"]),
            "Token": object(["token": "string", "expiresAt": "string"], required: ["token"]),
            "User": object(["id": "string", "username": "string", "displayName": "string", "role": "string", "scope": "string",
                            "email": "string", "phone": "string", "disabled": "boolean", "createdAt": "string"]),
            "UserList": list("User"),
            "UserInput": object(["username": "string", "password": "string", "displayName": "string", "role": "string", "scope": "string",
                                 "email": "string", "phone": "string"], required: ["username", "password", "role", "scope"]),
            "UserPatch": object(["displayName": "string", "role": "string", "scope": "string", "email": "string", "phone": "string",
                                 "password": "string", "disabled": "boolean"]),
            "Unit": object(["structure": "string", "code": "string", "name": "string", "shortName": "string", "type": "string", "level": "string",
                            "parentCode": "string", "validFrom": "string", "validTo": "string", "closedOn": "string", "mergedInto": "string",
                            "lat": "number", "lon": "number", "areaKm2": "number", "childCount": "integer", "hamletCount": "integer"]),
            "UnitList": list("Unit"),
            "UnitSuggestion": object(["code": "string", "name": "string", "level": "string", "above": "string", "label": "string"]),
            "UnitSuggestions": object(["items": "UnitSuggestion[]"]),
            "UnitRef": object(["structure": "string", "code": "string", "name": "string", "level": "string"]),
            "Succession": object(["reform": "string", "kind": "string", "isDefault": "boolean", "effectiveDate": "string", "code": "string", "unit": "#UnitRef"]),
            "UnitEvent": object(["kind": "string", "effectiveDate": "string", "oldValue": "string", "newValue": "string", "relatedCode": "string", "note": "string", "username": "string"]),
            "UnitDetail": object(["unit": "#Unit", "path": "UnitRef[]", "successors": "Succession[]", "predecessors": "Succession[]", "history": "UnitEvent[]"]),
            "HamletInput": object(["name": "string", "type": "string", "code": "string", "effectiveDate": "string"]),
            "CloseInput": object(["effectiveDate": "string", "note": "string"]),
            "MergeInput": object(["into": "string", "effectiveDate": "string"], required: ["into"]),
            "ImportReport": object(["rows": "integer", "created": "integer", "unchanged": "integer", "problems": "Problem[]"]),
            "Organisation": object(["id": "string", "kind": "string", "name": "string", "typeCode": "string", "typeName": "string", "unitCode": "string",
                                    "unitName": "string", "address": "string", "phone": "string", "providesSocialWork": "boolean",
                                    "validFrom": "string", "validTo": "string", "active": "boolean", "note": "string"]),
            "OrganisationList": list("Organisation"),
            "OrganisationInput": object(["name": "string", "typeCode": "string", "unitCode": "string", "address": "string", "phone": "string",
                                         "providesSocialWork": "boolean", "validFrom": "string", "validTo": "string", "note": "string"]),
            "Type": object(["id": "string", "kind": "string", "code": "string", "name": "string", "validFrom": "string", "validTo": "string"]),
            "TypeList": list("Type"),
            "TypeInput": object(["code": "string", "name": "string", "validFrom": "string", "validTo": "string"]),
            "Audit": object(["id": "string", "at": "string", "username": "string", "action": "string", "entity": "string", "entityID": "string", "ip": "string"]),
            "AuditList": list("Audit"),
            "AuditVerdict": object(["entries": "integer", "intact": "boolean", "headSeq": "integer", "headHash": "string", "brokenAt": "integer", "problem": "string"]),
            "Person": object(["id": "string", "fullName": "string", "sex": "string", "birthDate": "string", "cccd": "string", "phone": "string",
                              "ethnicity": "string", "homeUnitCode": "string", "homeUnitName": "string", "educationLevel": "string",
                              "qualificationLevel": "string", "qualificationField": "string", "qualifiedInSocialWork": "boolean",
                              "titleCode": "string", "notes": "string", "assignments": "Assignment[]"]),
            "PersonList": list("Person"),
            "PersonInput": object(["fullName": "string", "sex": "string", "birthDate": "string", "cccd": "string", "phone": "string",
                                   "ethnicity": "string", "homeUnitCode": "string", "educationLevel": "string", "qualificationLevel": "string",
                                   "qualificationField": "string", "qualifiedInSocialWork": "boolean", "titleCode": "string", "notes": "string",
                                   "confirmDuplicate": "boolean"], required: ["fullName", "homeUnitCode"]),
            "Assignment": object(["id": "string", "personId": "string", "unitCode": "string", "unitName": "string", "organisationId": "string",
                                  "organisationName": "string", "domains": "string[]", "positionTitle": "string", "employmentKind": "string", "fullTime": "boolean",
                                  "concurrent": "boolean", "startDate": "string", "endDate": "string", "endReason": "string",
                                  "allowanceAmount": "integer", "allowanceMultiple": "number", "allowanceToday": "integer", "active": "boolean",
                                  "legacyUnitCode": "string", "legacyUnitName": "string"]),
            "LegacyUnitInput": object(["legacyUnitCode": "string"]),
            "AssignmentList": list("Assignment"),
            "AssignmentInput": object(["unitCode": "string", "organisationId": "string", "domains": "string[]", "positionTitle": "string", "employmentKind": "string",
                                       "fullTime": "boolean", "concurrent": "boolean", "startDate": "string", "endDate": "string",
                                       "allowanceAmount": "integer", "allowanceMultiple": "number", "legacyUnitCode": "string"], required: ["positionTitle", "employmentKind", "startDate"]),
            "EndInput": object(["endDate": "string", "endReason": "string"], required: ["endDate", "endReason"]),
            "Coverage": object(["rule": "string", "unitCode": "string", "unitName": "string", "date": "string", "places": "integer",
                                "meeting": "integer", "percent": "number", "children": "CoverageChild[]", "misses": "CoverageMiss[]",
                                "map": "string", "unplaced": "integer"]),
            "CoverageChild": object(["code": "string", "name": "string", "places": "integer", "meeting": "integer", "percent": "number"]),
            "CoverageMiss": object(["code": "string", "name": "string", "unitCode": "string", "count": "integer", "link": "string"]),
            "TurnoverYear": object(["year": "integer", "opening": "integer", "joined": "integer", "left": "integer", "closing": "integer", "rate": "number"]),
            "TurnoverChild": object(["code": "string", "name": "string", "years": "TurnoverYear[]"]),
            "Turnover": object(["unitCode": "string", "unitName": "string", "years": "TurnoverYear[]", "children": "TurnoverChild[]"]),
            "PeopleImportReport": object(["rows": "integer", "newPeople": "integer", "matchedPeople": "integer", "newPosts": "integer",
                                          "unchangedPosts": "integer", "committed": "boolean", "problems": "Problem[]"]),
            "Title": object(["code": "string", "name": "string", "validTo": "string"]),
            "TitleList": list("Title"),
            "Salary": object(["effectiveFrom": "string", "amount": "integer", "legalBasis": "string"]),
            "SalaryList": list("Salary"),
        ]
    }
}
