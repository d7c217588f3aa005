using System.ComponentModel.DataAnnotations;

namespace ChatPlatform.Gateway.Tests;

/// <summary>The gateway's limits as start-up validation sees them.</summary>
public sealed class GatewayOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Validate(new GatewayOptions()));
    }

    [Fact]
    public void A_frame_limit_above_the_pending_budget_fails_and_names_both_settings()
    {
        var problems = Validate(new GatewayOptions { MaxFrameBytes = 2 * 1024 * 1024, MaxPendingBytes = 1024 * 1024 });

        var problem = Assert.Single(problems);
        Assert.Equal("Gateway:MaxPendingBytes (1048576) must be at least Gateway:MaxFrameBytes (2097152).", problem.ErrorMessage);
    }

    private static List<ValidationResult> Validate(GatewayOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
