using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Sets up the JwtBearer handler that checks upgrade tokens from <c>Auth:Jwt</c>: the one
/// configured algorithm, issuer and audience, a required expiry, the clock skew, and keys from
/// the secret, a key file or the identity provider. Key files are read once, when the options
/// are first built (the gateway does that as it starts).
/// </summary>
internal sealed class ConfigureUpgradeJwtBearer(IOptions<AuthOptions> auth, IdentityProvider provider) : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != UpgradeAuthenticator.Scheme)
        {
            return;
        }

        var jwt = auth.Value.Jwt;

        // Auth:Jwt is the one place tokens are configured: nothing from ASP.NET Core's own
        // Authentication:Schemes section may point the handler at another provider.
        options.Authority = null;
        options.MetadataAddress = null!;
        options.Configuration = null;
        options.ConfigurationManager = provider.Configuration;

        // Claims keep the names the token gives them (sub, roles, rooms), not .NET's claim types.
        options.MapInboundClaims = false;

        // A refusal tells the client nothing; the gateway never sends a challenge anyway.
        options.IncludeErrorDetails = false;
        options.SaveToken = false;
        options.EventsType = typeof(UpgradeJwtBearerEvents);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = string.IsNullOrEmpty(jwt.Issuer) ? null : jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidAlgorithms = [jwt.Algorithm],
            // Without Auth:Jwt no key is needed: the events refuse any token before validation.
            IssuerSigningKeys = jwt.IsConfigured ? StaticKeys(jwt) : [],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = jwt.ClockSkew,
        };

        if (provider.Configuration is not null && !string.IsNullOrEmpty(jwt.Issuer))
        {
            // IdentityModel would also accept the discovery document's issuer; a configured one is the only one.
            var issuer = jwt.Issuer;
            options.TokenValidationParameters.IssuerValidatorUsingConfiguration = (tokenIssuer, _, _, _) =>
                string.Equals(tokenIssuer, issuer, StringComparison.Ordinal)
                    ? tokenIssuer
                    : throw new SecurityTokenInvalidIssuerException("The token's issuer is not Auth:Jwt:Issuer.") { InvalidIssuer = tokenIssuer };
        }
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    private static SecurityKey[] StaticKeys(JwtOptions jwt)
    {
        if (jwt.Algorithm == SecurityAlgorithms.HmacSha256)
        {
            return [new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret!))];
        }

        if (jwt.JwksFile is not null)
        {
            return [.. new JsonWebKeySet(File.ReadAllText(jwt.JwksFile)).GetSigningKeys()];
        }

        if (jwt.PublicKeyFile is not null)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(jwt.PublicKeyFile));
            return [new RsaSecurityKey(rsa)];
        }

        // The identity provider's keys come with its configuration.
        return [];
    }
}
