"""Response headers that tell browsers what a page may do: the Content-Security-Policy
(django-csp, with the admin's own policy) and the Permissions-Policy."""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts

# Browser features no page of the portal uses: a page (or anything injected into one) can
# never ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

# Wagtail's admin still writes a few inline scripts (inline panels, date pickers) and style
# attributes, and shows page previews in a frame of its own; these directives replace the
# site's for admin screens only. Everything members and the public see keeps the strict one.
ADMIN_PREFIXES = ("/admin/",)
ADMIN_POLICY = {
    "script-src": [SELF, "'unsafe-inline'"],
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}
# A page previewed in the admin keeps the site's policy but may be framed by the admin's
# preview panel. Wagtail renders a preview through the middleware as a request for the page's
# own address, marked ``is_dummy``; such a request is only ever made inside an admin view.
# https://github.com/wagtail/wagtail/blob/main/wagtail/models/preview.py (make_preview_request)
PREVIEW_POLICY = {"frame-ancestors": [SELF]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIXES):
            parts.replace = {**ADMIN_POLICY, **(parts.replace or {})}
        elif getattr(request, "is_dummy", False):
            parts.replace = {**PREVIEW_POLICY, **(parts.replace or {})}
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
