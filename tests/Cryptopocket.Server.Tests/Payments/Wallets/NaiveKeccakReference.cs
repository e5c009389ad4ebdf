namespace Cryptopocket.Server.Tests.Payments.Wallets;

/// <summary>
/// A second Keccak written to be obviously faithful to FIPS 202 rather than fast, so the production code has
/// something independent to be compared with on inputs no published vector covers. It shares nothing with it:
/// the round constants come from the rc(t) LFSR (Algorithm 5), the rotation offsets from the walk in Algorithm 2,
/// pi is the index map of Algorithm 3, and padding is done on a list of bits (Algorithm 9, pad10*1) with the
/// domain suffix appended as bits, so getting the 0x01/0x06/0x80 bytes right is a consequence, not an input.
/// </summary>
internal static class NaiveKeccakReference
{
    private const int LaneBits = 64;
    private const int RateBits = 1088;

    private static readonly ulong[] RoundConstants = DeriveRoundConstants();
    private static readonly int[,] RotationOffsets = DeriveRotationOffsets();

    /// <summary>Original Keccak-256 (Ethereum): no suffix before pad10*1.</summary>
    public static byte[] Keccak256(byte[] message) => Sponge(message, []);

    /// <summary>FIPS 202 SHA3-256: the bits 0 1 go between message and pad10*1 (§6.1), used to anchor this class.</summary>
    public static byte[] Sha3_256(byte[] message) => Sponge(message, [false, true]);

    private static byte[] Sponge(byte[] message, bool[] suffix)
    {
        // Bit i of byte j is message bit 8j + i, least significant first (FIPS 202 Appendix B.1, h2b).
        var bits = new List<bool>();
        foreach (var b in message)
        {
            for (var i = 0; i < 8; i++)
            {
                bits.Add(((b >> i) & 1) == 1);
            }
        }

        bits.AddRange(suffix);

        // pad10*1 (Algorithm 9): a 1, the fewest 0s, and a final 1 so the length is a multiple of the rate.
        bits.Add(true);
        while ((bits.Count + 1) % RateBits != 0)
        {
            bits.Add(false);
        }

        bits.Add(true);

        var a = new ulong[5, 5];
        for (var offset = 0; offset < bits.Count; offset += RateBits)
        {
            // S[w(5y + x) + z] is bit z of lane (x, y) (§3.1.2).
            for (var i = 0; i < RateBits; i++)
            {
                if (bits[offset + i])
                {
                    var lane = i / LaneBits;
                    a[lane % 5, lane / 5] ^= 1UL << (i % LaneBits);
                }
            }

            a = KeccakF(a);
        }

        var output = new byte[32];
        for (var i = 0; i < 256; i++)
        {
            var lane = i / LaneBits;
            if (((a[lane % 5, lane / 5] >> (i % LaneBits)) & 1) == 1)
            {
                output[i / 8] |= (byte)(1 << (i % 8));
            }
        }

        return output;
    }

    private static ulong[,] KeccakF(ulong[,] a)
    {
        for (var round = 0; round < 24; round++)
        {
            // theta (Algorithm 1)
            var c = new ulong[5];
            for (var x = 0; x < 5; x++)
            {
                c[x] = a[x, 0] ^ a[x, 1] ^ a[x, 2] ^ a[x, 3] ^ a[x, 4];
            }

            var afterTheta = new ulong[5, 5];
            for (var x = 0; x < 5; x++)
            {
                var d = c[(x + 4) % 5] ^ RotateLeft(c[(x + 1) % 5], 1);
                for (var y = 0; y < 5; y++)
                {
                    afterTheta[x, y] = a[x, y] ^ d;
                }
            }

            // rho (Algorithm 2)
            var afterRho = new ulong[5, 5];
            for (var x = 0; x < 5; x++)
            {
                for (var y = 0; y < 5; y++)
                {
                    afterRho[x, y] = RotateLeft(afterTheta[x, y], RotationOffsets[x, y]);
                }
            }

            // pi (Algorithm 3): A'[x, y] = A[(x + 3y) mod 5, x]
            var afterPi = new ulong[5, 5];
            for (var x = 0; x < 5; x++)
            {
                for (var y = 0; y < 5; y++)
                {
                    afterPi[x, y] = afterRho[(x + 3 * y) % 5, x];
                }
            }

            // chi (Algorithm 4)
            var afterChi = new ulong[5, 5];
            for (var x = 0; x < 5; x++)
            {
                for (var y = 0; y < 5; y++)
                {
                    afterChi[x, y] = afterPi[x, y] ^ (~afterPi[(x + 1) % 5, y] & afterPi[(x + 2) % 5, y]);
                }
            }

            // iota (Algorithm 6)
            afterChi[0, 0] ^= RoundConstants[round];
            a = afterChi;
        }

        return a;
    }

    private static ulong RotateLeft(ulong value, int by) => by == 0 ? value : (value << by) | (value >> (LaneBits - by));

    // Algorithm 5: rc(t) is the output of an LFSR over GF(2) with R = 1 0 0 0 0 0 0 0 initially.
    private static bool Rc(int t)
    {
        if (t % 255 == 0)
        {
            return true;
        }

        var r = new List<bool> { true, false, false, false, false, false, false, false };
        for (var i = 1; i <= t % 255; i++)
        {
            r.Insert(0, false);
            r[0] ^= r[8];
            r[4] ^= r[8];
            r[5] ^= r[8];
            r[6] ^= r[8];
            r.RemoveAt(8);
        }

        return r[0];
    }

    // Algorithm 6: bit 2^j - 1 of RC[ir] is rc(j + 7 ir), for j = 0..6 (l = 6 for w = 64).
    private static ulong[] DeriveRoundConstants()
    {
        var constants = new ulong[24];
        for (var ir = 0; ir < 24; ir++)
        {
            for (var j = 0; j <= 6; j++)
            {
                if (Rc(j + 7 * ir))
                {
                    constants[ir] |= 1UL << ((1 << j) - 1);
                }
            }
        }

        return constants;
    }

    // Algorithm 2: from (1, 0), lane t of the walk (x, y) → (y, (2x + 3y) mod 5) is rotated by (t+1)(t+2)/2.
    private static int[,] DeriveRotationOffsets()
    {
        var offsets = new int[5, 5];
        var (x, y) = (1, 0);
        for (var t = 0; t < 24; t++)
        {
            offsets[x, y] = (t + 1) * (t + 2) / 2 % LaneBits;
            (x, y) = (y, (2 * x + 3 * y) % 5);
        }

        return offsets;
    }
}
