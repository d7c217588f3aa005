using System.CommandLine;
using ChatPlatform.Cli.Tokens;

namespace ChatPlatform.Cli.Commands;

/// <summary><c>chat token</c>: mints a development JWT and prints only the token.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "The user (the sub claim)", Required = true };
        var roles = new Option<string[]>("--role") { Description = "A role for the roles claim; repeat for more" };
        var rooms = new Option<string[]>("--room") { Description = "A room for the rooms claim; repeat for more" };
        var lifetime = new Option<string>("--lifetime") { Description = "How long the token is valid: 90s, 15m, 1h, 7d, 1h30m or hh:mm:ss, at most 3660 days", DefaultValueFactory = _ => "1h" };
        var secret = new Option<string?>("--secret") { Description = "The HS256 secret, at least 32 bytes of UTF-8 (default: CHAT_JWT_SECRET)" };
        var issuer = new Option<string?>("--issuer") { Description = "The iss claim (default: CHAT_JWT_ISSUER)" };
        var audience = new Option<string?>("--audience") { Description = "The aud claim (default: CHAT_JWT_AUDIENCE)" };

        var command = new Command("token", "Mint an HS256 development JWT for a gateway that validates tokens with the same secret, issuer and audience")
        {
            user, roles, rooms, lifetime, secret, issuer, audience,
        };
        command.SetAction(result =>
        {
            var resolvedSecret = result.GetValue(secret) ?? Environment.GetEnvironmentVariable("CHAT_JWT_SECRET");
            var resolvedIssuer = result.GetValue(issuer) ?? Environment.GetEnvironmentVariable("CHAT_JWT_ISSUER");
            var resolvedAudience = result.GetValue(audience) ?? Environment.GetEnvironmentVariable("CHAT_JWT_AUDIENCE");
            if (string.IsNullOrEmpty(resolvedSecret) || string.IsNullOrEmpty(resolvedIssuer) || string.IsNullOrEmpty(resolvedAudience))
            {
                return Fail("give --secret, --issuer and --audience, or set CHAT_JWT_SECRET, CHAT_JWT_ISSUER and CHAT_JWT_AUDIENCE");
            }

            if (!Lifetime.TryParse(result.GetRequiredValue(lifetime), out var validFor))
            {
                return Fail($"--lifetime must be a positive duration with units, such as 90s, 15m, 1h or 7d (or hh:mm:ss), not '{result.GetValue(lifetime)}'");
            }

            try
            {
                Console.Out.WriteLine(DevelopmentToken.Create(
                    result.GetRequiredValue(user),
                    result.GetValue(roles) ?? [],
                    result.GetValue(rooms) ?? [],
                    resolvedSecret,
                    resolvedIssuer,
                    resolvedAudience,
                    validFor,
                    DateTime.UtcNow));
                return ExitCodes.Ok;
            }
            catch (ArgumentException exception)
            {
                return Fail(exception.Message);
            }
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"chat token: {message}");
        return ExitCodes.Usage;
    }
}
