import XCTest

/// The page reader the page tests ask: if it misread, their negative checks would pass for nothing.
final class PageViewTests: XCTestCase {
    let html = """
        <!doctype html><html lang="vi"><head><title>Báo cáo · Hamlet</title><link rel="manifest" href="/m.webmanifest">
        <script>if (a < b && c > d) { document.write("<p>not text</p>") }</script></head>
        <body><h1>Báo cáo &amp; số liệu</h1><!-- <h1>a comment</h1> -->
        <p class="big" id="value"><strong>33,3%</strong> · 1/3<p>Đoạn hai<br>dòng hai</p>
        <ul id="counts"><li>Bị trả lại&#58; <strong>1</strong><li>Quá hạn: <strong>2</strong></ul>
        <table><tr><th scope="row">Số người</th><td>&lt; 5<td>7</tr><tfoot><tr><th>Tổng cộng</th><td>25</td></tr></tfoot></table>
        <form><label for="ten">Họ tên</label><input id="ten" name="fullName" value="Nguyễn Thị Lan">
        <label>Cấp <select name="level"><option value="">—<option value="hamlet" selected>Thôn</select></label>
        <label for="note">Ghi chú</label><textarea id="note">Dòng  một
        dòng hai</textarea><button type=submit>Lưu</button></form>
        <a href="/reports?set=A&amp;unit=91">Báo cáo tháng</a></body></html>
        """

    func testReadsWhatAReaderSees() {
        let page = PageView(html)
        XCTAssertEqual(page.title, "Báo cáo · Hamlet")
        XCTAssertEqual(page.headings(1), ["Báo cáo & số liệu"], "entities decoded, comments and script text ignored")
        XCTAssertEqual(page.text(id: "value"), "33,3% · 1/3", "a paragraph ends where the next begins")
        XCTAssertEqual(page.texts("p"), ["33,3% · 1/3", "Đoạn hai dòng hai"])
        XCTAssertEqual(page.texts("li"), ["Bị trả lại: 1", "Quá hạn: 2"])
        XCTAssertEqual(page.row("Số người"), ["< 5", "7"], "cells end at the next cell and the row's end")
        XCTAssertEqual(page.row("Tổng cộng"), ["25"])
        XCTAssertNil(page.row("Không có"))
        XCTAssertEqual(page.field("Họ tên"), "Nguyễn Thị Lan")
        XCTAssertEqual(page.field("Cấp"), "Thôn")
        XCTAssertEqual(page.chosen("level"), "hamlet")
        XCTAssertEqual(page.options("level"), ["", "hamlet"])
        XCTAssertEqual(page.field("Ghi chú"), "Dòng một dòng hai")
        XCTAssertEqual(page.texts("button"), ["Lưu"])
        XCTAssertEqual(page.link("Báo cáo tháng"), "/reports?set=A&unit=91")
        XCTAssertEqual(page.all("link").first?.attributes["href"], "/m.webmanifest")
        XCTAssertEqual(page.all("p.big").count, 1)
        XCTAssertTrue(page.texts("script").isEmpty == false && !page.texts("p").contains("not text"))
    }
}
