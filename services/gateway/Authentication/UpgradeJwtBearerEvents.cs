using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChatPlatform.Gateway.Authentication;

/// <summary>
/// Where the upgrade's token is, and what the gateway checks beyond IdentityModel. The token is
/// in <c>Authorization: Bearer</c>, or else in <c>?access_token=</c>, the only way a browser's
/// WebSocket can send one. A refusal's reason goes to the log, never to the client.
/// </summary>
internal sealed class UpgradeJwtBearerEvents(IOptions<AuthOptions> options) : JwtBearerEvents
{
    private const string BearerPrefix = "Bearer ";

    public override Task MessageReceived(MessageReceivedContext context)
    {
        var request = context.Request;
        string? token = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            token = header[BearerPrefix.Length..].Trim();
        }
        else if (request.Query["access_token"] is { Count: 1 } query && !string.IsNullOrEmpty(query[0]))
        {
            token = query[0];
        }

        if (token is null)
        {
            // Without a token the gateway may still take a development user.
            context.NoResult();
        }
        else if (token.Length == 0)
        {
            // Someone meant to send a token; that is not the same as sending none.
            context.Fail("empty bearer token");
        }
        else if (!options.Value.Jwt.IsConfigured)
        {
            context.Fail("a token was given, but none is accepted");
        }
        else
        {
            context.Token = token;
        }

        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var reason = context.SecurityToken is JsonWebToken token
            ? StrictTokenRules.Violation(token)
            : $"unexpected token type {context.SecurityToken?.GetType().Name}";
        if (reason is not null)
        {
            context.Fail(reason);
        }

        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        // Whatever went wrong, including an exception outside IdentityModel's checks, is a
        // refusal with a reason for the log, not an error response.
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }
}
