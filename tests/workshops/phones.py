"""Talk to a real uvicorn server the way a phone does (tests/workshops live tests and the bench)."""

import secrets

import httpx

from tests.live.sse import EventStream


def database_url(settings_dict):
    """DATABASE_URL for a subprocess that must share the database this process uses."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


class Phone:
    """One participant's phone: joins by code, keeps its cookies, posts notes."""

    def __init__(self, server_url, code, timeout=10):
        self.base = server_url
        self.code = code
        self.http = httpx.Client(base_url=server_url, timeout=timeout, follow_redirects=False)

    def join(self, name, sector="government"):
        self.http.get(f"/w/{self.code}/")  # the form sets the CSRF cookie
        response = self.http.post(
            f"/w/{self.code}/", data={"display_name": name, "sector": sector},
            headers={"X-CSRFToken": self.http.cookies.get("csrftoken", "")},
        )
        assert response.status_code == 302, response.text[:500]
        return self

    def post_note(self, text, about="government", prompt=0, key=None):
        return self.http.post(
            f"/w/{self.code}/brainwriting/notes/",
            data={"text": text, "about": about, "prompt": prompt, "key": key or secrets.token_urlsafe(12)},
            headers={"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "X-Convene": "fetch"},
        )

    def screen(self):
        return self.http.get(f"/w/{self.code}/now", headers={"X-Convene": "fetch"})

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())

    def stream(self, server_url=None, last_event_id=None):
        return PhoneStream(f"{server_url or self.base}/w/{self.code}/live", self.cookie_header(), last_event_id)

    def close(self):
        self.http.close()


class PhoneStream(EventStream):
    """tests.live.sse.EventStream with the phone's cookies (the stream checks the pass)."""

    def __init__(self, url, cookies, last_event_id=None, timeout=5.0):
        headers = {"Accept": "text/event-stream", "Cookie": cookies}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self._client = httpx.Client(timeout=httpx.Timeout(timeout))
        self._context = self._client.stream("GET", url, headers=headers)
        self.response = self._context.__enter__()
        self._lines = self.response.iter_lines()
        self.comments = []
        self.retry = None
        self.last = None
