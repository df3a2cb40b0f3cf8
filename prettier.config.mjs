/** @type {import("prettier").Config} */
const config = {
  printWidth: 160,
  trailingComma: "all",
  plugins: ["prettier-plugin-organize-imports", "prettier-plugin-tailwindcss"],
};

export default config;
