/// English of running the plan: population figures (and, as they come, activities and boards).
extension English {
    static let runningPhrases: [String: String] = [
        "Số liệu dân số": "Population figures",
        "Tỷ lệ tính trên": "Share taken of",
        "Chỉ dùng cho tỷ lệ người thuộc nhóm đối tượng được trợ giúp. Số liệu dân số nhập ở trang": "Only for the share of a group helped. Population figures are entered on the page",
        "Số người của từng nhóm ở mỗi đơn vị theo năm, có ghi nguồn: là mẫu số của các chỉ tiêu tỷ lệ theo nhóm (ví dụ 85% trẻ em có hoàn cảnh đặc biệt được trợ giúp). Đơn vị có số của mình thì dùng số đó; không có thì cộng số của các đơn vị trực thuộc.":
            "How many people of each group live in each unit, by year, with the source: the base of share-of-group targets (e.g. 85% of children in special circumstances helped). A unit with its own figure uses it; otherwise the figures of the units under it are added up.",
        "Mẫu số": "Base",
        "số của chính đơn vị": "the unit's own figure",
        "cộng các đơn vị trực thuộc": "the sum of the units under it",
        "Số lượng": "Number",
        "Số liệu đã nhập": "Figures entered",
        "Tải XLSX": "Download XLSX",
        "Nguồn": "Source",
        "Nhập một số liệu": "Enter a figure",
        "Đơn vị (tên hoặc mã)": "Unit (name or code)",
        "Nhập từ tệp": "Import from a file",
        "Tệp XLSX hoặc CSV có các cột: Mã đơn vị, Năm, Nhóm (mã hoặc tên), Số lượng, Nguồn. Cả tệp được nhập hoặc không dòng nào; số đã có của cùng đơn vị, nhóm và năm được thay.":
            "An XLSX or CSV file with the columns Mã đơn vị (unit code), Năm (year), Nhóm (group, code or name), Số lượng (number), Nguồn (source). All of the file is stored or none of it; a figure already entered for the same unit, group and year is replaced.",
        "số mới": "new figures",
        "số thay": "replaced",
    ]

    static let runningMessages: [String: String] = [
        "Chỉ tỷ lệ của một nhóm đối tượng mới tính trên số liệu dân số.": "Only a group's share can be taken of population figures.",
        "Không tìm thấy dòng tiêu đề. Cần các cột: Mã đơn vị, Năm, Nhóm, Số lượng, Nguồn.": "No header row found. Columns needed: Mã đơn vị (unit code), Năm (year), Nhóm (group), Số lượng (number), Nguồn (source).",
        "Tệp không có dòng số liệu nào.": "The file has no rows of figures.",
        "Chọn đơn vị.": "Choose a unit.",
        "Năm không hợp lệ (1990–2100).": "Not a valid year (1990–2100).",
        "Chọn nhóm dân số.": "Choose a population group.",
        "Số lượng là số nguyên từ 0 trở lên.": "The number is a whole number, 0 or more.",
        "Ghi nguồn số liệu (ví dụ: Cục Thống kê, rà soát của xã).": "Give the figure's source (e.g. the statistics office, the commune's survey).",
        "Nguồn số liệu dài quá 300 ký tự.": "The source is longer than 300 characters.",
        "Số người của nhóm có hồ sơ trợ giúp trong kỳ": "The group's people with a case in the period",
        "Số liệu dân số của nhóm (theo năm)": "The group's population figures (by year)",
        "Dân số": "Population", "Hộ gia đình": "Households", "Trẻ em dưới 16 tuổi": "Children under 16", "Người cao tuổi": "Elderly people",
    ]

    static let runningSentences: [(String, String)] = [
        ("Trùng với dòng {#}: cùng đơn vị, nhóm và năm.", "Same as line {}: the same unit, group and year."),
        ("Thay số đã nhập {#} ({}) bằng {#}.", "Replaces the figure entered, {} ({}), with {}."),
        ("Không có đơn vị «{}» trong phạm vi của bạn.", "No unit “{}” in your scope."),
        ("Không có nhóm «{}» trong danh mục.", "No group “{}” in the catalogue."),
        ("Tỷ lệ người thuộc nhóm {} được cung cấp dịch vụ từ 01/01/{#} đến {#} trên số liệu dân số năm {#} (nguồn: {})",
         "Share of the people of groups {} given a service from 01/01/{} to {}, of the population figures of {} (source: {})"),
        ("Tỷ lệ người thuộc nhóm {} được cung cấp dịch vụ từ 01/01/{#} đến {#} trên số liệu dân số năm {#}",
         "Share of the people of groups {} given a service from 01/01/{} to {}, of the population figures of {}"),
        ("Tỷ lệ người thuộc nhóm {} được cung cấp dịch vụ từ 01/01/{#} đến {#}, chưa có số liệu dân số",
         "Share of the people of groups {} given a service from 01/01/{} to {}: no population figures yet"),
    ]
}
