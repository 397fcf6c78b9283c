using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Acefone.Client
{
    /// <summary>A session's secret: a console access token, or a login id with a password.</summary>
    public abstract class AcefoneCredential
    {
        private protected AcefoneCredential() { }

        public abstract AcefoneAuthKind Kind { get; }

        public static AcefoneCredential FromAccessToken(SecureString accessToken)
        {
            if (accessToken == null || accessToken.Length == 0)
                throw new ArgumentException("The access token is empty.", nameof(accessToken));
            return new AccessTokenCredential(Copy(accessToken));
        }

        public static AcefoneCredential FromLogin(string loginId, SecureString password)
        {
            if (string.IsNullOrWhiteSpace(loginId)) throw new ArgumentException("The login id is empty.", nameof(loginId));
            if (password == null || password.Length == 0) throw new ArgumentException("The password is empty.", nameof(password));
            return new LoginCredential(loginId.Trim(), Copy(password));
        }

        public override string ToString() => $"Acefone credential ({Kind})";

        private static SecureString Copy(SecureString value)
        {
            SecureString copy = value.Copy();
            copy.MakeReadOnly();
            return copy;
        }

        /// <summary>The only place a secret becomes a string: just before it goes into a request.</summary>
        internal static string Reveal(SecureString secret)
        {
            IntPtr pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
