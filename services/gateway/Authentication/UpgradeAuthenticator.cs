using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Gateway.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Decides who an upgrade request is: from a JWT (the <c>Authorization: Bearer</c> header, or
/// the <c>access_token</c> query parameter browsers must use), or, when allowed, a development
/// user name. A token must be signed with the configured algorithm and key, by the configured
/// issuer, for the configured audience, and be within its lifetime; anything else is refused
/// without saying why.
/// </summary>
internal sealed class UpgradeAuthenticator
{
    private readonly AuthOptions _options;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters? _parameters;

    public UpgradeAuthenticator(IOptions<AuthOptions> options)
    {
        _options = options.Value;
        var jwt = _options.Jwt;
        if (jwt.IsConfigured)
        {
            _parameters = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                IssuerSigningKeys = SigningKeys(jwt),
                ValidAlgorithms = [jwt.Algorithm],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = jwt.ClockSkew,
            };
        }
    }

    public async Task<UpgradeAuthentication> AuthenticateAsync(HttpRequest request)
    {
        var token = BearerToken(request);
        if (token is not null)
        {
            return await ValidateAsync(token);
        }

        if (!_options.AllowDevelopmentUsers)
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, "no token");
        }

        var user = request.Query["user"];
        return user.Count == 1 && NameRules.IsValidDevelopmentUser(user[0])
            ? UpgradeAuthentication.Accepted(new UpgradeIdentity(user[0]!, ConnectionGrants.None))
            : UpgradeAuthentication.Refused(
                StatusCodes.Status400BadRequest,
                "bad development user name",
                $"?user= must be 1-{NameRules.MaxDevelopmentUserLength} letters, digits, '-', '_' or '.'");
    }

    private async Task<UpgradeAuthentication> ValidateAsync(string token)
    {
        if (_parameters is null)
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, "a token was given, but none is accepted");
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, result.Exception?.GetType().Name ?? "invalid token");
        }

        var jwt = _options.Jwt;
        var claims = result.ClaimsIdentity;
        var user = claims.FindFirst(jwt.UserClaim)?.Value;
        if (user is null || !NameRules.IsValidUser(user))
        {
            return UpgradeAuthentication.Refused(StatusCodes.Status401Unauthorized, $"no usable '{jwt.UserClaim}' claim");
        }

        // An array claim comes as one claim per element.
        var roles = claims.FindAll(jwt.RolesClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        var rooms = claims.FindAll(jwt.RoomsClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        var expiresAt = new DateTimeOffset(((JsonWebToken)result.SecurityToken).ValidTo, TimeSpan.Zero);
        return UpgradeAuthentication.Accepted(new UpgradeIdentity(user, new ConnectionGrants(true, roles, rooms, expiresAt)));
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        var query = request.Query["access_token"];
        return query.Count == 1 && !string.IsNullOrEmpty(query[0]) ? query[0] : null;
    }

    private static IEnumerable<SecurityKey> SigningKeys(JwtOptions jwt)
    {
        if (jwt.Algorithm == SecurityAlgorithms.HmacSha256)
        {
            return [new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret!))];
        }

        if (jwt.JwksFile is not null)
        {
            return new JsonWebKeySet(File.ReadAllText(jwt.JwksFile)).GetSigningKeys();
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(jwt.PublicKeyFile!));
        return [new RsaSecurityKey(rsa)];
    }
}
