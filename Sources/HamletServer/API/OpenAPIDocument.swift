import Foundation
import HamletWeb
import HamletWorkforce

/// The operations of /api/v1 that are no feature's own (accounts, units, organisations, people,
/// audit), the list of all of them, and the whole document. A test fails when the document and
/// the routes disagree (a route not described, or a described route that does not exist).
extension OpenAPIDocument {
    static let operations: [Operation] = [
        .init(method: "POST", path: "/api/v1/auth/token", summary: "Đổi tên đăng nhập + mật khẩu lấy mã truy cập (12 giờ)", tag: "auth", body: "Credentials", response: "Token", status: "201"),
        .init(method: "GET", path: "/api/v1/openapi.json", summary: "Tài liệu này", tag: "meta"),
        .init(method: "GET", path: "/api/v1/me", summary: "Tài khoản đang dùng", tag: "users", response: "User"),
        .init(method: "GET", path: "/api/v1/me/work", summary: "Việc của tài khoản: báo cáo cần nhập, chờ duyệt, đơn vị chưa gửi (gấp trước)", tag: "users", response: "WorkList"),
        .init(method: "GET", path: "/api/v1/users", summary: "Danh sách tài khoản trong phạm vi (quản trị)", tag: "users", query: ["role", "page", "per"], response: "UserList"),
        .init(method: "POST", path: "/api/v1/users", summary: "Tạo tài khoản (quản trị)", tag: "users", body: "UserInput", response: "User", status: "201"),
        .init(method: "GET", path: "/api/v1/users/{id}", summary: "Một tài khoản", tag: "users", response: "User"),
        .init(method: "PATCH", path: "/api/v1/users/{id}", summary: "Sửa, đổi mật khẩu, khóa/mở khóa tài khoản", tag: "users", body: "UserPatch", response: "User"),
        .init(method: "GET", path: "/api/v1/units", summary: "Tìm và liệt kê đơn vị hành chính", tag: "units",
              query: ["structure", "level=province|district|commune|hamlet", "parent", "q", "includeClosed", "page", "per"], response: "UnitList"),
        .init(method: "GET", path: "/api/v1/units/suggest", summary: "Gợi ý đơn vị theo một phần tên (không dấu cũng được), trong phạm vi tài khoản, kèm các cấp trên", tag: "units",
              query: ["q", "level=province|commune|hamlet"], response: "UnitSuggestions"),
        .init(method: "GET", path: "/api/v1/units/{structure}/{code}", summary: "Một đơn vị, đường dẫn và kế thừa (2025 ↔ cũ)", tag: "units", response: "UnitDetail"),
        .init(method: "GET", path: "/api/v1/units/{structure}/{code}/hamlets", summary: "Thôn/tổ dân phố của một xã (structure = 2025)", tag: "units", query: ["includeClosed"], response: "UnitList"),
        .init(method: "POST", path: "/api/v1/units/{structure}/{code}/hamlets", summary: "Thêm thôn/tổ dân phố", tag: "units", body: "HamletInput", response: "Unit", status: "201"),
        .init(method: "PATCH", path: "/api/v1/units/{structure}/{code}", summary: "Đổi tên hoặc loại thôn", tag: "units", body: "HamletInput", response: "Unit"),
        .init(method: "POST", path: "/api/v1/units/{structure}/{code}/close", summary: "Đóng thôn (giữ lịch sử, mã không dùng lại)", tag: "units", body: "CloseInput", response: "Unit"),
        .init(method: "POST", path: "/api/v1/units/{structure}/{code}/merge", summary: "Sáp nhập thôn vào thôn khác cùng xã", tag: "units", body: "MergeInput", response: "Unit"),
        .init(method: "POST", path: "/api/v1/hamlets/import", summary: "Nhập thôn từ CSV/XLSX, tất cả hoặc không", tag: "units", query: ["dryRun"], body: "File", response: "ImportReport"),
    ] + organisationOperations + workforceOperations + trainingOperations + planOperations + implementationOperations + populationOperations + activityOperations + reportingOperations + caseOperations + [
        .init(method: "GET", path: "/api/v1/audit", summary: "Nhật ký thay đổi (quản trị)", tag: "audit", query: ["entity", "entityId", "username", "page", "per"], response: "AuditList"),
        .init(method: "GET", path: "/api/v1/audit/verify", summary: "Kiểm tra chuỗi băm của nhật ký: mục nào bị sửa, xóa hay chèn ngoài ứng dụng (quản trị cả nước)", tag: "audit", response: "AuditVerdict"),
    ]

    static let workforceOperations: [Operation] = [
        .init(method: "GET", path: "/api/v1/people", summary: "Tìm người trong sổ nhân lực", tag: "people",
              query: ["q", "unit", "domain", QueryParameters.choice("kind", EmploymentKind.self), "activeOn", "qualification", "title", "trained", "trainedCourseKinds", "trainedCourseDomains", "trainedMinLevel", "trainedSince", "page", "per"], response: "PersonList"),
        .init(method: "GET", path: "/api/v1/people/export", summary: "Xuất danh sách đang lọc ra XLSX hoặc CSV (UTF-8 có BOM), mỗi dòng một người và một nhiệm vụ hiện tại", tag: "people",
              query: ["format", "q", "unit", "domain", QueryParameters.choice("kind", EmploymentKind.self), "activeOn", "qualification", "title", "trained", "trainedCourseKinds", "trainedCourseDomains", "trainedMinLevel", "trainedSince"]),
        .init(method: "POST", path: "/api/v1/people/import", summary: "Nhập người và nhiệm vụ từ XLSX/CSV: tất cả hoặc không; nhập lại cùng tệp không thay đổi gì", tag: "people",
              query: ["dryRun", "mapping"], body: "File", response: "PeopleImportReport"),
        .init(method: "POST", path: "/api/v1/people", summary: "Thêm người (409 possible_duplicate nếu có thể trùng; gửi lại với confirmDuplicate)", tag: "people",
              body: "PersonInput", response: "Person", status: "201"),
        .init(method: "GET", path: "/api/v1/people/{id}", summary: "Một người và toàn bộ quá trình công tác", tag: "people", response: "Person"),
        .init(method: "PATCH", path: "/api/v1/people/{id}", summary: "Sửa thông tin người (chỉ các trường gửi lên)", tag: "people", body: "PersonPatch", response: "Person"),
        .init(method: "GET", path: "/api/v1/people/{id}/assignments", summary: "Các nhiệm vụ (cả đã kết thúc)", tag: "people", response: "AssignmentList"),
        .init(method: "POST", path: "/api/v1/people/{id}/assignments", summary: "Thêm nhiệm vụ", tag: "people", body: "AssignmentInput", response: "Assignment", status: "201"),
        .init(method: "PUT", path: "/api/v1/assignments/{id}/legacy-unit", summary: "Ghi xã trước sắp xếp (trước 01/07/2025) của nhiệm vụ: một trong các xã đã nhập vào xã hiện nay; để trống: bỏ", tag: "people",
              body: "LegacyUnitInput", response: "Assignment"),
        .init(method: "POST", path: "/api/v1/assignments/{id}/end", summary: "Kết thúc nhiệm vụ (ngày, lý do)", tag: "people", body: "EndInput", response: "Assignment"),
        .init(method: "POST", path: "/api/v1/assignments/{id}/transfer", summary: "Điều chuyển: kết thúc nhiệm vụ này hôm trước ngày bắt đầu nhiệm vụ mới", tag: "people",
              body: "AssignmentInput", response: "Assignment", status: "201"),
        .init(method: "GET", path: "/api/v1/coverage", summary: "Độ phủ: bao nhiêu nơi có đủ người theo quy tắc, theo đơn vị con, và nơi chưa đạt", tag: "people",
              query: ["rule", "level", "organisationType", "organisationTypes", "allDomains", "domains", "kinds", "min", "max", "unit", "date", "map"], response: "Coverage"),
        .init(method: "GET", path: "/api/v1/turnover", summary: "Biến động: vào, ra, tỷ lệ theo năm và đơn vị con", tag: "people",
              query: ["unit", "from:year", "to:year", "domains", "kinds"], response: "Turnover"),
        .init(method: "GET", path: "/api/v1/professional-titles", summary: "Danh mục chức danh nghề nghiệp", tag: "people", response: "TitleList"),
        .init(method: "POST", path: "/api/v1/professional-titles", summary: "Thêm chức danh nghề nghiệp", tag: "people", body: "Title", response: "Title", status: "201"),
        .init(method: "PATCH", path: "/api/v1/professional-titles/{code}", summary: "Sửa tên hoặc đặt ngày hết hiệu lực", tag: "people", body: "Title", response: "Title"),
        .init(method: "GET", path: "/api/v1/base-salaries", summary: "Lịch sử mức lương cơ sở", tag: "people", response: "SalaryList"),
    ]

    static var organisationOperations: [Operation] {
        ["agencies", "facilities"].flatMap { kind -> [Operation] in
            let type = kind == "agencies" ? "agency-types" : "facility-types"
            return [
                .init(method: "GET", path: "/api/v1/\(kind)", summary: "Danh sách \(kind == "agencies" ? "cơ quan" : "cơ sở")", tag: kind,
                      query: ["q", "unit", "type", "activeOn", "providesSocialWork", "page", "per"], response: "OrganisationList"),
                .init(method: "POST", path: "/api/v1/\(kind)", summary: "Thêm", tag: kind, body: "OrganisationInput", response: "Organisation", status: "201"),
                .init(method: "GET", path: "/api/v1/\(kind)/{id}", summary: "Một bản ghi", tag: kind, response: "Organisation"),
                .init(method: "PATCH", path: "/api/v1/\(kind)/{id}", summary: "Sửa", tag: kind, body: "OrganisationInput", response: "Organisation"),
                .init(method: "GET", path: "/api/v1/\(type)", summary: "Danh mục loại", tag: kind, response: "TypeList"),
                .init(method: "POST", path: "/api/v1/\(type)", summary: "Thêm loại", tag: kind, body: "TypeInput", response: "Type", status: "201"),
                .init(method: "PATCH", path: "/api/v1/\(type)/{id}", summary: "Sửa loại (đặt ngày hết hiệu lực thay vì xóa)", tag: kind, body: "TypeInput", response: "Type"),
            ]
        }
    }

    static func json() -> Data {
        json(operations: operations, schemas: OpenAPISchemas.all.merging(trainingSchemas) { a, _ in a }.merging(planSchemas) { a, _ in a }.merging(implementationSchemas) { a, _ in a }.merging(populationSchemas) { a, _ in a }.merging(activitySchemas) { a, _ in a }.merging(reportingSchemas) { a, _ in a }.merging(caseSchemas) { a, _ in a },
             parameter: QueryParameters.parameter)
    }
}
