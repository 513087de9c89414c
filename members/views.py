from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from .selectors import member_eligibility, profile_for


@never_cache
@login_required
def profile(request):
    """The member's own page: membership status and profile."""
    return TemplateResponse(
        request,
        "members/profile.html",
        {
            "profile": profile_for(user=request.user),
            "eligibility": member_eligibility(user=request.user),
        },
    )
