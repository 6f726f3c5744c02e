import Foundation
import HamletServer

HamletMain.runTasksOnEventLoops()
exit(await HamletMain.main())
