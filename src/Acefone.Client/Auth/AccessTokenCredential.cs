using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Acefone.Client
{
    internal sealed class AccessTokenCredential : AcefoneCredential
    {
        internal AccessTokenCredential(SecureString token) { Token = token; }
        internal SecureString Token { get; }
        public override AcefoneAuthKind Kind => AcefoneAuthKind.AccessToken;
    }
}
