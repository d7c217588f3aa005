using ChatPlatform.Contracts.DataPlane;
using ChatPlatform.Contracts.Registry;

namespace ChatPlatform.Contracts.Tests.Golden;

/// <summary>
/// The C# side of the formats presence's Lua scripts write, against <see cref="ScriptFormatGolden"/>:
/// bytes out of the encoder, values out of the decoder. The Lua side runs in Redis in
/// Presence.Tests (ScriptEncoderTests), against the same examples.
/// </summary>
public sealed class ScriptFormatTests
{
    [Theory]
    [MemberData(nameof(ScriptFormatGolden.RegistryChanges), MemberType = typeof(ScriptFormatGolden))]
    public void A_registry_change_is_written_as_its_golden_text(string golden, RegistryChange change)
    {
        Assert.Equal(golden, RegistryChangeCodec.Format(change));
    }

    [Theory]
    [MemberData(nameof(ScriptFormatGolden.RegistryChanges), MemberType = typeof(ScriptFormatGolden))]
    public void A_golden_registry_change_text_is_read_as_its_change(string golden, RegistryChange change)
    {
        Assert.Equal(change, RegistryChangeCodec.Parse(golden));
    }

    [Fact]
    public void Every_kind_of_registry_change_has_a_golden_example()
    {
        Assert.Equal(
            Enum.GetValues<RegistryChangeKind>(),
            ScriptFormatGolden.RegistryChanges.Select(row => ((RegistryChange)row[1]).Kind).Order());
    }

    [Fact]
    public void A_registry_change_missing_a_field_is_not_written()
    {
        Assert.Throws<ArgumentException>(() => RegistryChangeCodec.Format(new RegistryChange(1, RegistryChangeKind.RoomJoined, "gw-1", "c-1", "alice")));
    }

    [Theory]
    [MemberData(nameof(ScriptFormatGolden.MembershipEvents), MemberType = typeof(ScriptFormatGolden))]
    public void A_membership_event_is_written_as_its_golden_bytes(string golden, MembershipEvent membership)
    {
        Assert.Equal(ScriptFormatGolden.Bytes(golden), DataPlaneCodec.Encode(membership));
    }

    [Theory]
    [MemberData(nameof(ScriptFormatGolden.MembershipEvents), MemberType = typeof(ScriptFormatGolden))]
    public void Golden_membership_event_bytes_are_read_as_their_event(string golden, MembershipEvent membership)
    {
        Assert.Equal(membership, DataPlaneCodec.DecodeMembership(ScriptFormatGolden.Bytes(golden)));
    }
}
