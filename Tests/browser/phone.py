"""Every main page of every role on a 360-px phone: nothing spills sideways, no table needs
sideways scrolling, and every tap target standing alone is at least 24 × 24 px (WCAG 2.5.8;
a link inside a sentence keeps the line's height). Prints 'N passed, N failed'."""
import sys
from selenium.webdriver.common.by import By
from journeys import BASE, SHOTS, browser, fits, sign_in, run
from offline import PASSWORD as CTV_PASSWORD, OFFICER

SMALL = """return Array.from(document.querySelectorAll('a,button,input:not([type=hidden]),select,textarea,summary')).filter(function (e) {
  var r = e.getBoundingClientRect(); if (!r.width || !r.height) return false;
  var inline = e.tagName === 'A' && getComputedStyle(e).display === 'inline' && e.closest('p,li,td,small,span,dd');
  return !inline && (r.width < 24 || r.height < 24);
}).map(function (e) { return e.tagName + ' ' + (e.textContent || e.name || '').trim().slice(0, 30); });"""
# A matrix (units by periods) scrolls in its frame, newest period first: the current one is in view.
SCROLLING = "return Array.from(document.querySelectorAll('.table-wrap')).filter(function (w) { return !w.querySelector('table.matrix') && w.scrollWidth > w.clientWidth + 1; }).map(function (w) { var t = w.querySelector('table'); return t ? t.id : '?'; });"


def first_link(driver, page, css):
    driver.get(BASE + page)
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, css) if not a.get_attribute("href").endswith("/new")]
    assert links, f"no {css} on {page}"
    return links[0].replace(BASE, "")


def check(driver, user, password, pages, more=()):
    sign_in(driver, user, password)
    pages = list(pages) + [first_link(driver, page, css) for page, css in more]
    for page in pages:
        driver.get(BASE + page)
        name = f"phone-{user}{page}".replace("/", "_").replace("?", "_")[:80]
        driver.save_screenshot(f"{SHOTS}/{name}.png")
        fits(driver, f"{user} {page}")
        assert not driver.execute_script(SCROLLING), f"{user} {page}: tables scrolling sideways {driver.execute_script(SCROLLING)}"
        small = driver.execute_script(SMALL)
        assert not small, f"{user} {page}: tap targets under 24 px: {small[:5]}"


def main():
    driver = browser(360, 800)
    try:
        passed, failed = run((
            lambda: check(driver, "trinhduyet", "Trinh-duyet-2026",
                          ["/", "/units", "/people", "/coverage?rule=hamlet-population-collaborator&unit=91", "/turnover", "/training",
                           "/plans", "/reports", "/reports/completeness?set=BC_CTV_THANG&unit=30292", "/me"],
                          [("/people", "table#people a[href^='/people/']"), ("/training", "a[href^='/training/classes/']"), ("/plans", "a[href^='/plans/']")]),
            lambda: check(driver, OFFICER[0], OFFICER[1], ["/", "/reports", "/people"]),
            lambda: check(driver, "ctvthu", CTV_PASSWORD, ["/", "/reports", "/people", "/me"]),
            lambda: check(driver, "nhanvienthu", "Nhan-vien-thu-2026", ["/", "/cases"]),
        ), driver, "phone")
    finally:
        driver.quit()
    print(f"phone: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
