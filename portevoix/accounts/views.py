from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts import services
from portevoix.accounts.forms import ApiTokenForm, EmailLoginForm, LanguageForm, PersonalPasswordResetForm
from portevoix.accounts.models import ApiToken
from portevoix.accounts.permissions import authenticated_request, login_required
from portevoix.accounts.roles import Role

login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html", authentication_form=EmailLoginForm, redirect_authenticated_user=True
)
logout_view = auth_views.LogoutView.as_view()
password_reset_view = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=PersonalPasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-sent"),
)
password_reset_sent_view = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html")
password_reset_confirm_view = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:password-reset-complete")
)
password_reset_complete_view = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the person, or in a cookie before sign-in."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("dashboard:home")
    language = form.cleaned_data["language"]
    target = form.cleaned_data["next"] or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if request.user.is_authenticated:
        services.set_interface_language(person=authenticated_request(request).user, language=language)
    response = HttpResponseRedirect(target)
    response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    new_secret = None
    form = ApiTokenForm()
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            _token, new_secret = services.create_api_token(user=user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
    context = {
        "person": user,
        "role_labels": [Role(role).label for role in sorted(user.role_set)],
        "tokens": ApiToken.objects.filter(user=user),
        "form": form,
        "new_secret": new_secret,
    }
    return render(request, "accounts/profile.html", context)


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404
    services.revoke_api_token(token=token, actor=user)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


app_name = "accounts"
urlpatterns = [
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("password-reset/", password_reset_view, name="password-reset"),
    path("password-reset/sent/", password_reset_sent_view, name="password-reset-sent"),
    path("reset/<uidb64>/<token>/", password_reset_confirm_view, name="password-reset-confirm"),
    path("reset/done/", password_reset_complete_view, name="password-reset-complete"),
    path("language/", language_set, name="language-set"),
    path("profile/", profile_view, name="profile"),
    path("profile/tokens/<int:token_id>/revoke/", api_token_revoke, name="api-token-revoke"),
]
