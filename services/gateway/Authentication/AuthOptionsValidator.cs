using System.Text;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>Refuses to start with an authentication setup that would let anyone in, or nobody.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    // IdentityModel's own floors: its configuration manager refuses shorter intervals.
    private static readonly TimeSpan MinKeyRefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinMetadataRefreshInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxMetadataRefreshInterval = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var jwt = options.Jwt;
        if (!jwt.IsConfigured)
        {
            return options.AllowDevelopmentUsers
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Configure Auth:Jwt (Issuer, Audience and a key, or Authority and Audience), or set Auth:AllowDevelopmentUsers to true to accept ?user= without tokens.");
        }

        var problems = new List<string>();

        // With an authority, the discovery document names the issuer.
        if (string.IsNullOrEmpty(jwt.Issuer) && jwt.Authority is null)
        {
            problems.Add("Auth:Jwt:Issuer is required.");
        }

        if (string.IsNullOrEmpty(jwt.Audience))
        {
            problems.Add("Auth:Jwt:Audience is required.");
        }

        switch (jwt.Algorithm)
        {
            case "HS256":
                if (jwt.Secret is null || Encoding.UTF8.GetByteCount(jwt.Secret) < 32)
                {
                    problems.Add("Auth:Jwt:Secret must be at least 32 bytes for HS256.");
                }

                if (jwt.PublicKeyFile is not null || jwt.JwksFile is not null)
                {
                    problems.Add("HS256 uses Auth:Jwt:Secret only; remove Auth:Jwt:PublicKeyFile and Auth:Jwt:JwksFile.");
                }

                if (jwt.Authority is not null)
                {
                    problems.Add("Auth:Jwt:Authority serves RS256 keys: set Auth:Jwt:Algorithm to RS256, or remove Auth:Jwt:Authority to use Auth:Jwt:Secret.");
                }

                break;
            case "RS256":
                var sources = new[] { jwt.PublicKeyFile, jwt.JwksFile, jwt.Authority }.Count(source => source is not null);
                if (sources != 1)
                {
                    problems.Add("RS256 needs exactly one of Auth:Jwt:PublicKeyFile, Auth:Jwt:JwksFile or Auth:Jwt:Authority.");
                }
                else if ((jwt.PublicKeyFile ?? jwt.JwksFile) is { } file && !File.Exists(file))
                {
                    problems.Add($"{file} does not exist.");
                }

                if (jwt.Secret is not null)
                {
                    problems.Add("RS256 does not use Auth:Jwt:Secret; remove it.");
                }

                break;
            default:
                problems.Add("Auth:Jwt:Algorithm must be HS256 or RS256.");
                break;
        }

        if (jwt.Authority is not null)
        {
            ValidateAuthority(jwt, problems);
        }

        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > MaxClockSkew)
        {
            problems.Add("Auth:Jwt:ClockSkew must be between 00:00:00 and 00:05:00.");
        }

        if (jwt.MetadataRefreshInterval < MinMetadataRefreshInterval || jwt.MetadataRefreshInterval > MaxMetadataRefreshInterval)
        {
            problems.Add("Auth:Jwt:MetadataRefreshInterval must be between 00:05:00 and 7.00:00:00.");
        }

        if (jwt.KeyRefreshInterval < MinKeyRefreshInterval || jwt.KeyRefreshInterval > jwt.MetadataRefreshInterval)
        {
            problems.Add("Auth:Jwt:KeyRefreshInterval must be at least 00:00:01 and at most Auth:Jwt:MetadataRefreshInterval.");
        }

        foreach (var (setting, value) in new[] { ("UserClaim", jwt.UserClaim), ("RolesClaim", jwt.RolesClaim), ("RoomsClaim", jwt.RoomsClaim), ("AdminRole", jwt.AdminRole) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"Auth:Jwt:{setting} must not be empty.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateAuthority(JwtOptions jwt, List<string> problems)
    {
        if (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority)
            || authority.Scheme is not ("https" or "http")
            || authority.Query.Length > 0
            || authority.Fragment.Length > 0
            || authority.UserInfo.Length > 0)
        {
            problems.Add("Auth:Jwt:Authority must be an http or https address without a query, fragment or credentials, such as https://login.example.com/realms/chat/.");
        }
        else if (jwt.RequireHttpsMetadata && authority.Scheme != "https")
        {
            problems.Add("Auth:Jwt:Authority must be https unless Auth:Jwt:RequireHttpsMetadata is false (for tests and local providers only).");
        }
    }
}
