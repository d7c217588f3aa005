namespace ChatPlatform.Contracts.DataPlane;

/// <summary>The numeric values are on the wire (written by Lua too, see <see cref="DataPlaneCodec.MembershipLuaEncoder"/>).</summary>
public enum MembershipEventKind : byte
{
    Joined = 1,
    Left = 2,
}
