using System.Text;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>Refuses to start with an authentication setup that would let anyone in, or nobody.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var jwt = options.Jwt;
        if (!jwt.IsConfigured)
        {
            return options.AllowDevelopmentUsers
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Configure Auth:Jwt (Issuer, Audience and a key), or set Auth:AllowDevelopmentUsers to true to accept ?user= without tokens.");
        }

        var problems = new List<string>();
        if (string.IsNullOrEmpty(jwt.Issuer))
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

                break;
            case "RS256":
                if ((jwt.PublicKeyFile is null) == (jwt.JwksFile is null))
                {
                    problems.Add("RS256 needs exactly one of Auth:Jwt:PublicKeyFile or Auth:Jwt:JwksFile.");
                }
                else if (!File.Exists(jwt.PublicKeyFile ?? jwt.JwksFile))
                {
                    problems.Add($"{jwt.PublicKeyFile ?? jwt.JwksFile} does not exist.");
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

        if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > MaxClockSkew)
        {
            problems.Add("Auth:Jwt:ClockSkew must be between 00:00:00 and 00:05:00.");
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
}
