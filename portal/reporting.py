"""Error reports that carry no personal data.

Django's error reports (the 500 page in debug, the e-mails to ADMINS, any logging handler
that formats a request) normally list every local variable of every frame and every POST
value. A frame may hold a confidential note's text, inside the portal's own code or inside
a library it calls, so reports here show the traceback, the request's path and headers, and
no frame variables and no POST values at all.
"""

from django.views.debug import SafeExceptionReporterFilter

HIDDEN = "********************"


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Hides every POST value and every local variable of every frame."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, HIDDEN)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, HIDDEN) for name in tb_frame.f_locals]
