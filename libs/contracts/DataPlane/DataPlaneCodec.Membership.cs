namespace ChatPlatform.Contracts.DataPlane;

/// <summary>
/// The membership event, the one data-plane payload written in Lua: presence's scripts publish it
/// in the same atomic step as the membership change. Its layout is kind, version, event kind
/// (<see cref="MembershipEventKind"/>), then room, user and excluded connection as length-prefixed
/// strings. <see cref="MembershipLuaEncoder"/> writes it in Lua, <see cref="Encode(MembershipEvent)"/>
/// in C#; a golden test runs the Lua in Redis and pins both to the same bytes.
/// </summary>
public static partial class DataPlaneCodec
{
    /// <summary>
    /// Lua functions that write a <see cref="MembershipEvent"/>, for presence's scripts to
    /// concatenate in front of their own code: <c>membership_event(kind, room, user, exclude)</c>
    /// with <c>membership_joined</c> or <c>membership_left</c> as the kind. Varints and strings as
    /// <see cref="PayloadWriter"/> writes them; <c>#text</c> is the UTF-8 length in bytes.
    /// </summary>
    public static readonly string MembershipLuaEncoder = LuaPrimitives + $$"""
        -- Membership events ({{nameof(DataPlaneCodec)}}): what gateways decode from their channel.
        local membership_joined, membership_left = {{(byte)MembershipEventKind.Joined}}, {{(byte)MembershipEventKind.Left}}
        local function membership_event(kind, room, user, exclude)
          return string.char({{(byte)PayloadKind.Membership}}, {{Version}}, kind)
            .. payload_string(room) .. payload_string(user) .. payload_string(exclude)
        end

        """;

    /// <summary>Varints and strings as <see cref="PayloadWriter"/> writes them, in Lua; <c>#text</c> is the UTF-8 length in bytes.</summary>
    private const string LuaPrimitives = """
        local function payload_varint(n)
          local bytes = ''
          while n >= 128 do
            bytes = bytes .. string.char(n % 128 + 128)
            n = math.floor(n / 128)
          end
          return bytes .. string.char(n)
        end
        local function payload_string(text)
          return payload_varint(#text) .. text
        end

        """;

    public static byte[] Encode(MembershipEvent membership) => Write(PayloadKind.Membership, membership, static (ref writer, membership) =>
    {
        writer.WriteByte((byte)membership.Kind);
        writer.WriteString(membership.Room);
        writer.WriteString(membership.UserId);
        writer.WriteString(membership.ExcludeConnection);
    });

    public static MembershipEvent DecodeMembership(ReadOnlyMemory<byte> payload) => Read(payload, PayloadKind.Membership, static (ref reader) =>
        new MembershipEvent(
            Kind: ReadEnum<MembershipEventKind>(reader.ReadByte()),
            Room: reader.ReadString(),
            UserId: reader.ReadString(),
            ExcludeConnection: reader.ReadString()));
}
