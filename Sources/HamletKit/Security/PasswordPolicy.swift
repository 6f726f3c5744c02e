import Foundation

/// What makes a password acceptable: 8 to 128 characters and not one of the most common ones
/// (checked without case, diacritics or trailing digits-only variants of the same word).
public enum PasswordPolicy {
    public static let minLength = 8
    public static let maxLength = 128

    public enum Problem: Equatable, Sendable {
        case tooShort, tooLong, tooCommon
        public var message: String {
            switch self {
            case .tooShort: return "Mật khẩu phải có ít nhất \(PasswordPolicy.minLength) ký tự."
            case .tooLong: return "Mật khẩu không được dài quá \(PasswordPolicy.maxLength) ký tự."
            case .tooCommon: return "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."
            }
        }
    }

    public static func check(_ password: String, username: String = "") -> Problem? {
        let length = password.count
        if length < minLength { return .tooShort }
        if length > maxLength { return .tooLong }
        let folded = VietnameseText.folded(password).replacingOccurrences(of: " ", with: "")
        if common.contains(folded) { return .tooCommon }
        if !username.isEmpty, folded.contains(VietnameseText.folded(username)) { return .tooCommon }
        if Set(folded).count <= 2 { return .tooCommon }
        // What is left when digits and symbols go: "Matkhau@123" is "matkhau", "hanoi2024" is
        // "hanoi", "123456a@" is "a". A known word, a place, or next to no letters is guessed first.
        let letters = String(folded.filter { $0.isLetter })
        if letters.count <= 2 || common.contains(letters) || words.contains(letters) || places.contains(letters) { return .tooCommon }
        return nil
    }

    /// Words that, with digits and symbols around them, are what people type first.
    static let words: Set<String> = [
        "matkhau", "matkhaumoi", "matma", "password", "passwd", "pass", "admin", "administrator", "quantri", "root", "user", "guest",
        "test", "demo", "qwerty", "qwertyuiop", "asdfgh", "asdfghjk", "zxcvbnm", "abc", "abcd", "abcdef", "abcdefgh", "iloveyou",
        "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "vietnam", "hamlet", "welcome", "hello", "xinchao", "changeme", "secret",
        "congtacxahoi", "ctxh", "giadinh", "danso", "treem", "ubnd", "soyte", "tramyte", "hochiminh", "bacho", "dragon", "monkey",
        "football", "samsung", "iphone", "google", "facebook", "zalo", "pokemon", "superman", "batman", "princess", "sunshine",
    ]

    /// Provinces and large cities, old and new, as typed without marks or spaces.
    static let places: Set<String> = [
        "angiang", "bariavungtau", "vungtau", "bacgiang", "backan", "baclieu", "bacninh", "bentre", "binhdinh", "binhduong", "binhphuoc",
        "binhthuan", "camau", "cantho", "caobang", "danang", "daklak", "daklac", "daknong", "dienbien", "dongnai", "dongthap", "gialai",
        "hagiang", "hanam", "hanoi", "hatinh", "haiduong", "haiphong", "haugiang", "hoabinh", "hungyen", "khanhhoa", "kiengiang", "kontum",
        "laichau", "lamdong", "langson", "laocai", "longan", "namdinh", "nghean", "ninhbinh", "ninhthuan", "phutho", "phuyen", "quangbinh",
        "quangnam", "quangngai", "quangninh", "quangtri", "soctrang", "sonla", "tayninh", "thaibinh", "thainguyen", "thanhhoa", "thuathienhue",
        "hue", "tiengiang", "hochiminh", "tphcm", "hcm", "saigon", "travinh", "tuyenquang", "vinhlong", "vinhphuc", "yenbai", "dalat",
        "nhatrang", "halong", "vinh", "quynhon", "buonmathuot", "pleiku", "rachgia", "longxuyen", "chaudoc", "mytho",
    ]

    /// The most common passwords in public breach lists, plus Vietnamese favourites.
    static let common: Set<String> = [
        "12345678", "123456789", "1234567890", "123456789a", "12345678a", "password", "password1",
        "password123", "passw0rd", "qwertyuiop", "qwerty123", "qwertyui", "1q2w3e4r", "1q2w3e4r5t",
        "1qaz2wsx", "zaq12wsx", "abc12345", "abcd1234", "abcdefgh", "iloveyou", "iloveyou1",
        "11111111", "00000000", "12341234", "87654321", "11223344", "sunshine", "princess", "football",
        "baseball", "superman", "welcome1", "welcome123", "trustno1", "starwars", "whatever",
        "dragon123", "monkey123", "letmein1", "michael1", "computer", "internet", "admin123",
        "administrator", "changeme", "changeme1", "matkhau", "matkhau123", "matkhau1", "matkhaumoi",
        "anhyeuem", "anhyeuem1", "emyeuanh", "yeuemnhieu", "vietnam1", "vietnam123", "hanoi123",
        "saigon123", "hochiminh", "khongbiet", "khongco123", "123456aa", "123456ab", "a12345678",
        "aa123456", "asdfghjk", "asdfasdf", "zxcvbnm1", "zxcvbnm123", "q1w2e3r4", "qazwsxedc",
        "1234qwer", "qwer1234", "football1", "master123", "hello123", "helloworld", "loveyou1",
        "pokemon1", "samsung1", "iphone123", "google123", "facebook", "facebook1", "zing1234",
        "hamlet123", "hamletdemo", "demo1234", "test1234", "testtest", "guest123", "user1234",
        "p@ssw0rd", "p@ssword", "pass1234", "secret123", "default1", "welcome", "1234abcd",
        "123123123", "123321123", "147258369", "159753123", "741852963", "789456123", "99999999",
        "88888888", "66666666", "55555555", "22222222", "33333333", "44444444", "77777777",
        "12121212", "123qweasd", "qweasdzxc", "minhanh123", "ngocanh123", "thanhthao", "phuonganh",
        "quanghuy", "baongoc123", "trustme123", "family123", "giadinh", "giadinh123", "congtacxahoi",
    ]
}
