import Foundation
import HamletServer

exit(await HamletMain.main())
