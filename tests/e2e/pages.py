"""What the browser tests do on a page, written once: sign in, sign out, read the navigation."""

from playwright.sync_api import Page, Response

from conftest import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(page: Page, email: str, password: str = PASSWORD) -> Response | None:
    """Fill and submit the login form; return the response of the page it leads to."""
    page.goto(LOGIN)
    form = page.locator("#main form")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    return navigation.value


def sign_out_button(page: Page) -> str:
    return page.locator("form[action='/accounts/logout/'] button").inner_text().strip()


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()
    assert page.url.endswith(LOGIN)


def navigation_links(page: Page) -> list[tuple[str, str]]:
    """(href, label) of each link in the main navigation, in order."""
    links = page.locator("header nav a")
    return [(link.get_attribute("href") or "", link.inner_text().strip()) for link in links.all()]


def heading(page: Page) -> str:
    return page.locator("#main h1").inner_text().strip()


def page_language(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")
