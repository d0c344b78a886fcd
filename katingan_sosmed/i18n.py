"""Language selection: Bahasa Indonesia unless the user chose otherwise.

Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language`` header, so an
officer whose browser happens to be set to English would get an English portal.
The regency's portal speaks Indonesian by default; English is an explicit choice
made with the language switcher, remembered in the language cookie.
"""

from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import check_for_language


class CookieLocaleMiddleware(MiddlewareMixin):
    """Activate the language from the language cookie, else ``LANGUAGE_CODE``."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        if chosen in available and check_for_language(chosen):
            language = chosen
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
