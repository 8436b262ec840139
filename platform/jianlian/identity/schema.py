import graphene
from django.contrib.auth import login
from jianlian.access.models import Membership
from jianlian.api import dataloaders
from jianlian.api.base import BaseMutation, PermissionField, RawString, require_user
from jianlian.api.permissions import PUBLIC, SIGNED_IN
from jianlian.api.types import ModelType
from jianlian.identity import services
from jianlian.identity.models import User


class MembershipType(ModelType):
    """A person's place in a tenant: the unit and the staff number there."""

    tenant = graphene.Field("tenants.schema.TenantType", required=True, description="所属租户。")
    unit = graphene.Field("jianlian.hierarchy.schema.OrgUnitType", required=True, description="所在单位。")

    class Meta:
        model = Membership
        name = "Membership"
        fields = ("staff_no", "is_primary", "joined_at")

    @staticmethod
    def resolve_tenant(membership, info):
        from tenants.models import Tenant

        return dataloaders.by_id(info.context, Tenant).load(membership.tenant_id)

    @staticmethod
    def resolve_unit(membership, info):
        from jianlian.hierarchy.models import OrgUnit

        return dataloaders.by_id(info.context, OrgUnit).load(membership.unit_id)


class UserType(ModelType):
    """A person's account. ID number and mobile are only ever shown masked."""

    masked_mobile = graphene.String(required=True, description="打码后的手机号。")
    masked_id_number = graphene.String(required=True, description="打码后的身份证号。")
    memberships = graphene.List(graphene.NonNull(MembershipType), required=True, description="有效的成员关系。")

    class Meta:
        model = User
        name = "User"
        interfaces = (graphene.relay.Node,)
        fields = ("id", "username", "real_name", "status", "last_login")

    @staticmethod
    def resolve_memberships(user, info):
        return dataloaders.by_field(info.context, Membership, "user_id", many=True, filters={"is_active": True}).load(user.pk)

    @classmethod
    def access_node(cls, info, viewer, pk):
        return viewer if not getattr(viewer, "is_app", False) and viewer.pk == pk else None


class Query(graphene.ObjectType):
    me = PermissionField(UserType, permissions=PUBLIC, description="当前登录的用户；未登录时为空。")

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None


class SignInInput(graphene.InputObjectType):
    """Credentials for a password sign-in."""

    identifier = graphene.String(required=True, description="手机号或用户名。")
    password = RawString(required=True, description="密码。")
    session = graphene.Boolean(description="为真时同时建立浏览器会话（Cookie）。")


class SignIn(BaseMutation):
    class Meta:
        description = "用手机号或用户名加密码登录，返回访问令牌（只显示一次）。在租户地址下登录时同时检查租户状态与成员关系。"
        permissions = PUBLIC
        error_codes = ('INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_NOT_ACTIVATED', 'ACCOUNT_DISABLED')

    token = graphene.String(description="Bearer 访问令牌（只返回这一次）。")
    user = graphene.Field(UserType, description="登录的用户。")

    class Arguments:
        input = SignInInput(required=True)

    @classmethod
    def perform(cls, info, input):
        request = info.context
        user = services.sign_in(input["identifier"], input["password"], tenant=getattr(request, "tenant", None))
        _token, key = services.issue_token(user, name="graphql")
        if input.get("session"):
            login(request, user, backend="jianlian.identity.backends.MobileOrUsernameBackend")
        request.user = user
        return SignIn(token=key, user=user, errors=[])


class SignOut(BaseMutation):
    class Meta:
        description = "吊销当前使用的访问令牌并结束浏览器会话。"
        permissions = SIGNED_IN

    ok = graphene.Boolean(required=True, description="是否已退出。")

    class Arguments:
        input = graphene.Boolean(description="无需参数，可省略。")

    @classmethod
    def mutate(cls, root, info, input=None):
        return super().mutate(root, info, input)

    @classmethod
    def perform(cls, info, input):
        request = info.context
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() == "bearer ":
            services.revoke_token(request.user, header[7:].strip())
        services.end_session(request)
        return SignOut(ok=True, errors=[])


class RequestActivationCodeInput(graphene.InputObjectType):
    """The pre-registered person's ID number and mobile."""

    id_number = graphene.String(required=True, description="身份证号（18位）。")
    mobile = graphene.String(required=True, description="登记的手机号。")


class RequestActivationCode(BaseMutation):
    class Meta:
        description = ("已由单位登记的人员，用身份证号 + 手机号获取激活验证码（短信）。为不泄露谁已登记，无论是否匹配都回答相同"
                       "（匹配且待激活时才发送验证码）；按来源地址和手机号限制频率。")
        permissions = PUBLIC
        error_codes = ('INVALID_ID_NUMBER', 'INVALID_MOBILE', 'NOT_PREREGISTERED', 'ALREADY_ACTIVATED', 'CODE_TOO_FREQUENT')

    ok = graphene.Boolean(required=True, description="请求是否已受理（不说明是否匹配）。")

    class Arguments:
        input = RequestActivationCodeInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.request_activation_code(input["id_number"], input["mobile"])
        return RequestActivationCode(ok=True, errors=[])


class ActivateAccountInput(graphene.InputObjectType):
    """Activation: ID number, mobile, the SMS code and a new password."""

    id_number = graphene.String(required=True, description="身份证号（18位）。")
    mobile = graphene.String(required=True, description="登记的手机号。")
    code = graphene.String(required=True, description="短信验证码。")
    password = RawString(required=True, description="新密码，至少8位，不能是纯数字或常见密码。")


class ActivateAccount(BaseMutation):
    class Meta:
        description = "用身份证号 + 手机号 + 验证码激活账号并设置密码。"
        permissions = PUBLIC
        error_codes = ('INVALID_ID_NUMBER', 'INVALID_MOBILE', 'NOT_PREREGISTERED', 'ALREADY_ACTIVATED', 'CODE_EXPIRED', 'CODE_INVALID', 'WEAK_PASSWORD')

    user = graphene.Field(UserType, description="已激活的用户。")

    class Arguments:
        input = ActivateAccountInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = services.activate(input["id_number"], input["mobile"], input["code"], input["password"])
        return ActivateAccount(user=user, errors=[])


class ChangePasswordInput(graphene.InputObjectType):
    """The current password and the new one."""

    old_password = RawString(required=True, description="原密码。")
    new_password = RawString(required=True, description="新密码（至少8位，不能是常见或纯数字密码）。")


class ChangePassword(BaseMutation):
    class Meta:
        description = "修改本人密码（应用令牌不能修改）。"
        permissions = SIGNED_IN
        error_codes = ('INVALID', 'INVALID_CREDENTIALS', 'WEAK_PASSWORD')

    ok = graphene.Boolean(description="是否已修改；有错误时为空。")

    class Arguments:
        input = ChangePasswordInput(required=True)

    @classmethod
    def perform(cls, info, input):
        from django.utils.translation import gettext as _

        from jianlian.core.errors import DomainError

        if getattr(info.context.user, "is_app", False):
            raise DomainError("INVALID", _("应用令牌不能修改密码。"), None)
        services.change_password(info.context.user, input["old_password"], input["new_password"])
        return cls(ok=True, errors=[])


class CreateSignedLinkInput(graphene.InputObjectType):
    """A page of the current tenant to open in a new tab."""

    path = graphene.String(required=True, description="租户内的页面路径，如 /apps/referrals/7/print/outbound/。")


class CreateSignedLink(BaseMutation):
    class Meta:
        description = ("为在新标签页打开的页面（打印单、附件下载）生成两分钟内有效的签名链接，绑定当前用户、租户和路径，"
                       "只能用于 GET；页面本身仍按本人权限检查。")
        permissions = SIGNED_IN
        error_codes = ("INVALID_LINK_PATH",)

    url = graphene.String(description="签名链接（含 /t/<租户>/ 前缀），两分钟内有效。")

    class Arguments:
        input = CreateSignedLinkInput(required=True)

    @classmethod
    def perform(cls, info, input):
        from django.utils.translation import gettext as _

        from jianlian.api.base import auth_error
        from jianlian.identity.signed_links import create_link
        from tenants.context import current_tenant

        user = info.context.user
        if getattr(user, "is_app", False):  # a link opens pages as a person, never as an app
            raise auth_error("PERMISSION_DENIED", _("外部应用不能生成签名链接。"))
        return CreateSignedLink(url=create_link(user, current_tenant(), input["path"]), errors=[])


class Mutation(graphene.ObjectType):
    create_signed_link = CreateSignedLink.Field()
    change_password = ChangePassword.Field()
    sign_in = SignIn.Field()
    sign_out = SignOut.Field()
    request_activation_code = RequestActivationCode.Field()
    activate_account = ActivateAccount.Field()
