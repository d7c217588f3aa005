using System.ComponentModel.DataAnnotations;
using ChatPlatform.Gateway.Protocol;

namespace ChatPlatform.Gateway.Api;

/// <summary>Configuration section <c>Api</c>: the server API for backends (docs/api.md, "Keys" and "Limits").</summary>
internal sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Api";

    /// <summary>The shortest key accepted: shorter ones are guessable.</summary>
    public const int MinKeyLength = 32;

    /// <summary>The port the API answers on, one the gateway listens on besides its public one; none: no API.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>
    /// Keys by name (<c>Api:Keys:billing</c>). Several at once, so a key is rotated by adding the
    /// new one before removing the old. An empty key is no key: it never matches.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Requests per second one key may make on one gateway.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>Requests one key may make at once before <see cref="RequestsPerSecond"/> applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;

    /// <summary>Largest request body; the message body inside it is bounded by it too.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long an <c>Idempotency-Key</c> is remembered.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, key) in Keys)
        {
            if (!NameRules.IsValidSystemName(name))
            {
                yield return new ValidationResult($"Api:Keys: the key name '{name}' is not 1-64 letters, digits, '-', '_' or '.'.", [nameof(Keys)]);
            }

            // Empty stands for unset (e.g. a compose variable not given): no key, not a short one.
            if (!string.IsNullOrEmpty(key) && key.Length < MinKeyLength)
            {
                yield return new ValidationResult($"Api:Keys:{name} is shorter than {MinKeyLength} characters.", [nameof(Keys)]);
            }
        }

        if (IdempotencyWindow < TimeSpan.FromSeconds(1) || IdempotencyWindow > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult("Api:IdempotencyWindow must be between 1 second and 7 days.", [nameof(IdempotencyWindow)]);
        }
    }
}
