using System.ComponentModel.DataAnnotations;
using ChatPlatform.Gateway.Api;

namespace ChatPlatform.Gateway.Tests.Api;

public sealed class ApiOptionsTests
{
    [Fact]
    public void The_defaults_and_keys_of_at_least_32_characters_are_valid()
    {
        var options = new ApiOptions { Port = 8081, Keys = new() { ["billing"] = new string('k', 32), ["unset"] = "" } };

        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData("billing", "short", "shorter than 32")]
    [InlineData("bad name", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "key name 'bad name'")]
    [InlineData("api:x", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "key name 'api:x'")]
    public void A_short_key_or_a_bad_name_is_refused_saying_which(string name, string key, string problem)
    {
        var options = new ApiOptions { Keys = new() { [name] = key } };

        Assert.Contains(Validate(options), result => result.ErrorMessage!.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Limits_out_of_range_are_refused()
    {
        var options = new ApiOptions { Port = 0, RequestsPerSecond = 0, Burst = 0, MaxBodyBytes = 10, IdempotencyWindow = TimeSpan.Zero };

        Assert.Equal(5, Validate(options).Count);
    }

    private static List<ValidationResult> Validate(ApiOptions options)
    {
        // As options validation runs them: the attributes, then Validate.
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        results.AddRange(options.Validate(new ValidationContext(options)));
        return results;
    }
}
