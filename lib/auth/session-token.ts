import { decode, encode, type JWT, type JWTDecodeParams, type JWTEncodeParams } from "next-auth/jwt";

// next-auth re-seals the session JWT (key derivation + encryption) after every session read, and sends it back as a
// new cookie. When the jwt callback hands back the very claims object it was given (nextSessionClaims does so
// while the last renewal is recent), nothing in the token changed: the cookie it came from is returned as it is.
// Claims decoded from a cookie, mapped to that cookie's value; weak, so it lives as long as the request's objects.
const sealedFrom = new WeakMap<object, string>();

// The session codec for next-auth's `jwt` option: the default JWE encoding, minus re-sealing an unchanged token.
export const sessionTokenCodec = {
  async decode(params: JWTDecodeParams): Promise<JWT | null> {
    const claims = await decode(params);
    if (claims && params.token) sealedFrom.set(claims, params.token);
    return claims;
  },
  async encode(params: JWTEncodeParams): Promise<string> {
    return sealedFrom.get(params.token ?? {}) ?? encode(params);
  },
};
