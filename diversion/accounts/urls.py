from django.urls import path

from diversion.accounts import provider_views, review_views, sso_views, user_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/security-code/", views.second_factor, name="second-factor"),
    path("sign-in/set-up-security-code/", views.set_up_second_factor, name="set-up-second-factor"),
    path("sign-in/provider/callback/", sso_views.sso_callback, name="sso-callback"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-out/done/", sso_views.signed_out, name="signed-out"),
    path("account/", views.account, name="account"),
    path("account/password/", views.account_password, name="account-password"),
    path("users/", user_views.user_list, name="user-list"),
    path("users/invite/", user_views.user_invite, name="user-invite"),
    path("users/<int:pk>/", user_views.user_detail, name="user-detail"),
    path("invitation/<str:token>/", user_views.invitation, name="invitation"),
    path("identity-providers/", provider_views.identity_providers, name="identity-providers"),
    path(
        "identity-providers/<int:pk>/",
        provider_views.identity_provider_edit,
        name="identity-provider",
    ),
    path("access-review/", review_views.access_review_schemes, name="access-reviews"),
    path("access-review/<str:code>/", review_views.access_review, name="access-review"),
]
