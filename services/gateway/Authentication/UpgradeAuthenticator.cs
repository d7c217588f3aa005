using ChatPlatform.Gateway.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Decides who an upgrade request is: from a JWT, checked by the JwtBearer handler (see
/// <see cref="ConfigureUpgradeJwtBearer"/> and <see cref="UpgradeJwtBearerEvents"/>), or, when
/// allowed, a development user name. Anything else is refused without saying why. Only the
/// upgrade authenticates: no authentication middleware runs for the gateway's other requests.
/// </summary>
internal sealed class UpgradeAuthenticator(IOptions<AuthOptions> options, IdentityProvider provider)
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    private readonly AuthOptions _options = options.Value;

    public async Task<UpgradeAuthentication> AuthenticateAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Succeeded)
        {
            return Accept(result);
        }

        if (result.Failure is { } failure)
        {
            // No keys, nor the issuer they come with, were ever fetched: the token may be fine.
            // 503 makes clients try again later; a 401 would make one with a fixed token give up.
            if (failure is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidIssuerException
                && provider.Configuration is { HasKeys: false })
            {
                return UpgradeAuthentication.Refused(
                    StatusCodes.Status503ServiceUnavailable,
                    "no signing keys from the identity provider yet",
                    "the gateway cannot check tokens yet; try again");
            }

            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, Reason(failure));
        }

        if (!_options.AllowDevelopmentUsers)
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, "no token");
        }

        var user = context.Request.Query["user"];
        return user.Count == 1 && NameRules.IsValidDevelopmentUser(user[0])
            ? UpgradeAuthentication.Accepted(new UpgradeIdentity(user[0]!, ConnectionGrants.None))
            : UpgradeAuthentication.Refused(
                StatusCodes.Status400BadRequest,
                "bad development user name",
                $"?user= must be 1-{NameRules.MaxDevelopmentUserLength} letters, digits, '-', '_' or '.'");
    }

    private UpgradeAuthentication Accept(AuthenticateResult result)
    {
        var jwt = _options.Jwt;
        var claims = result.Principal!;
        var user = claims.FindFirst(jwt.UserClaim)?.Value;
        if (user is null || !NameRules.IsValidUser(user))
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, $"no usable '{jwt.UserClaim}' claim");
        }

        // Required by the validation parameters; checked again because a connection must end.
        if (result.Properties?.ExpiresUtc is not { } expiresAt)
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, "no expiry");
        }

        // An array claim comes as one claim per element.
        var roles = claims.FindAll(jwt.RolesClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        var rooms = claims.FindAll(jwt.RoomsClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        return UpgradeAuthentication.Accepted(new UpgradeIdentity(user, new ConnectionGrants(true, roles, rooms, expiresAt.ToUniversalTime())));
    }

    /// <summary>The gateway's own reasons as they are; IdentityModel's by exception type, which says enough and holds no token content.</summary>
    private static string Reason(Exception failure) =>
        failure is AuthenticationFailureException ? failure.Message : failure.GetType().Name;
}
